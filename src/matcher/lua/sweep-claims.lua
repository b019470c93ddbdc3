--[[
  sweep-claims: housekeeping. Deletes expired claims (left by a matcher that died between
  claim and commit) from one HSCAN page of the claims hash.

  KEYS[1] claims   HASH   userId -> token US expiresAt (ms, server time)
  ARGV[1] HSCAN cursor
  ARGV[2] HSCAN count
  Returns: { next cursor, number of claims deleted }
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local page = redis.call('HSCAN', KEYS[1], ARGV[1], 'COUNT', tonumber(ARGV[2]))
local fields = page[2]
local deleted = 0
for i = 1, #fields, 2 do
  local sep = string.find(fields[i + 1], '\031', 1, true)
  if not sep or tonumber(string.sub(fields[i + 1], sep + 1)) <= now then
    redis.call('HDEL', KEYS[1], fields[i])
    deleted = deleted + 1
  end
end
return { page[1], deleted }
