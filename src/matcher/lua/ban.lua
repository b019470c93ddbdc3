--[[
  ban: blocks a user from matching until a time, and cancels the user's ticket if searching.
  claim.lua and commit.lua check the ban too, so a user banned between a window's read and
  its commit is never paired. A chat already running is left to the session service.

  KEYS[1] pool     ZSET   userId -> enqueuedAt
  KEYS[2] tickets  HASH   userId -> encoded ticket
  KEYS[3] users    HASH   userId -> 's' | 'c' US partnerId US sessionId
  KEYS[4] banned   ZSET   userId -> banned until (ms)
  KEYS[5] log      STREAM pool changes (e = '-userId')
  ARGV[1] userId
  ARGV[2] banned until (ms since epoch)
  ARGV[3] log retention (ms)
  Returns: 'cancelled' (a search was cancelled) | 'banned'
]]
local uid = ARGV[1]
redis.call('ZADD', KEYS[4], ARGV[2], uid)
if redis.call('HGET', KEYS[3], uid) == 's' then
  redis.call('ZREM', KEYS[1], uid)
  redis.call('HDEL', KEYS[2], uid)
  redis.call('HDEL', KEYS[3], uid)
  local t = redis.call('TIME')
  local minId = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[3])
  redis.call('XADD', KEYS[5], 'MINID', '~', string.format('%d', minId), '*', 'e', '-' .. uid)
  return 'cancelled'
end
return 'banned'
