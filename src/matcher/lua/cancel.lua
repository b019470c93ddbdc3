--[[
  cancel: take a searching user's ticket out of the pool and set the user offline. Wins
  over an in-flight claim: commit.lua finds the user no longer searching and never pairs it.

  KEYS[1] pool     ZSET   userId -> enqueuedAt
  KEYS[2] tickets  HASH   userId -> encoded ticket
  KEYS[3] users    HASH   userId -> 's' | 'c' US partnerId US sessionId
  KEYS[4] log      STREAM pool changes (e = '-userId')
  ARGV[1] userId
  ARGV[2] log retention (ms)
  Returns: 'cancelled' | 'not_searching' | 'chatting'
]]
local uid = ARGV[1]
local st = redis.call('HGET', KEYS[3], uid)
if st == 's' then
  redis.call('ZREM', KEYS[1], uid)
  redis.call('HDEL', KEYS[2], uid)
  redis.call('HDEL', KEYS[3], uid)
  local t = redis.call('TIME')
  local minId = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[2])
  redis.call('XADD', KEYS[4], 'MINID', '~', string.format('%d', minId), '*', 'e', '-' .. uid)
  return 'cancelled'
end
if st then return 'chatting' end
return 'not_searching'
