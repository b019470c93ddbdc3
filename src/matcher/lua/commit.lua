--[[
  commit: second phase. For each claimed pair whose claims this matcher still holds (token
  matches and not expired), takes both tickets out of the pool, sets both users chatting
  with the new session id and the partner mapping, and records each as the other's recent
  partner. Pairs that lost a race (a claim expired or was taken over, a user cancelled or
  was banned: ban.lua and cancel.lua take the ticket out) are reported and their claims
  released; their tickets stay in the pool. One log entry lists all removals.

  KEYS[1] pool     ZSET   userId -> enqueuedAt
  KEYS[2] tickets  HASH   userId -> encoded ticket
  KEYS[3] users    HASH   userId -> 's' | 'c' US partnerId US sessionId
  KEYS[4] claims   HASH   userId -> token US expiresAt
  KEYS[5] log      STREAM pool changes (e = '-id,id,...')
  ARGV[1] prefix of per-user keys ('<prefix>:mm:'), recent partners at 'recent:<userId>'
  ARGV[2] claim token
  ARGV[3] now (ms), recorded as the time the two met
  ARGV[4] recent partner limit N (0 = keep none)
  ARGV[5] recent partner window (ms)
  ARGV[6] log retention (ms)
  ARGV[7], ARGV[8], ARGV[9], ... userA, userB, sessionId of each pair
  Returns: one integer per pair: 0 committed, 1 a user is no longer searching,
           2 a claim is no longer ours
]]
local prefix, token = ARGV[1], ARGV[2]
local limit, window = tonumber(ARGV[4]), ARGV[5]
local t = redis.call('TIME')
local serverNow = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local function ours(claim)
  if not claim then return false end
  local sep = string.find(claim, '\031', 1, true)
  return string.sub(claim, 1, sep - 1) == token and tonumber(string.sub(claim, sep + 1)) > serverNow
end

local out = {}
local removed = {}
for i = 7, #ARGV, 3 do
  local a, b, sid = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local cl = redis.call('HMGET', KEYS[4], a, b)
  local code = 0
  if not (ours(cl[1]) and ours(cl[2])) then
    code = 2
  else
    local st = redis.call('HMGET', KEYS[3], a, b)
    if st[1] ~= 's' or st[2] ~= 's' then code = 1 end
  end
  if code == 0 then
    redis.call('ZREM', KEYS[1], a, b)
    redis.call('HDEL', KEYS[2], a, b)
    redis.call('HSET', KEYS[3], a, 'c\031' .. b .. '\031' .. sid, b, 'c\031' .. a .. '\031' .. sid)
    if limit > 0 then
      -- Trimmed to the last N when read (enqueue.lua); the key expires after the window.
      redis.call('ZADD', prefix .. 'recent:' .. a, ARGV[3], b)
      redis.call('PEXPIRE', prefix .. 'recent:' .. a, window)
      redis.call('ZADD', prefix .. 'recent:' .. b, ARGV[3], a)
      redis.call('PEXPIRE', prefix .. 'recent:' .. b, window)
    end
    removed[#removed + 1] = a
    removed[#removed + 1] = b
  end
  -- Release (or clear) our claims either way; never touch someone else's.
  if ours(cl[1]) then redis.call('HDEL', KEYS[4], a) end
  if ours(cl[2]) then redis.call('HDEL', KEYS[4], b) end
  out[#out + 1] = code
end
if #removed > 0 then
  redis.call('XADD', KEYS[5], 'MINID', '~', string.format('%d', serverNow - tonumber(ARGV[6])), '*', 'e',
    '-' .. table.concat(removed, ','))
end
return out
