--[[
  claim: first phase of a window's commit. For each proposed pair, atomically checks that
  both users are still searching and not claimed by another matcher (or only by an expired
  claim), then claims both with this window's token until now + ttl (Redis server time).
  A matcher killed after this script strands nobody: its claims expire and the tickets,
  which never left the pool, are free again.

  KEYS[1] users    HASH   userId -> 's' | 'c' US partnerId US sessionId
  KEYS[2] claims   HASH   userId -> token US expiresAt (ms, server time)
  ARGV[1] claim token (unique per window and matcher; no US character)
  ARGV[2] claim ttl (ms)
  ARGV[3], ARGV[4], ... userA, userB of each proposed pair
  Returns: one integer per pair: 0 claimed, 1 a user is no longer searching,
           2 a user is claimed by another matcher
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local value = ARGV[1] .. '\031' .. string.format('%d', now + tonumber(ARGV[2]))

local function held(claim)
  if not claim then return false end
  local sep = string.find(claim, '\031', 1, true)
  return tonumber(string.sub(claim, sep + 1)) > now
end

local out = {}
for i = 3, #ARGV, 2 do
  local a, b = ARGV[i], ARGV[i + 1]
  local st = redis.call('HMGET', KEYS[1], a, b)
  local code = 0
  if st[1] ~= 's' or st[2] ~= 's' then
    code = 1
  else
    local cl = redis.call('HMGET', KEYS[2], a, b)
    if held(cl[1]) or held(cl[2]) then code = 2 end
  end
  if code == 0 then redis.call('HSET', KEYS[2], a, value, b, value) end
  out[#out + 1] = code
end
return out
