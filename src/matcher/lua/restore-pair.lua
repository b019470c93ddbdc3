--[[
  restore-pair: writes a live pair back after Redis lost it (Postgres says the session is
  running): both users chatting with each other in the session; a waiting ticket of either
  is dropped, since a user in a chat cannot be searching.

  KEYS[1] pool     ZSET   userId -> enqueuedAt
  KEYS[2] tickets  HASH   userId -> encoded ticket
  KEYS[3] users    HASH   userId -> 's' | 'c' US partnerId US sessionId
  KEYS[4] log      STREAM pool changes (e = '-userId')
  KEYS[5] banned   ZSET   (unused; listed so every pool key is declared)
  ARGV[1] userA
  ARGV[2] userB
  ARGV[3] sessionId
  ARGV[4] log retention (ms)
  Returns: the number of waiting tickets dropped (0–2)
]]
local a, b, sid = ARGV[1], ARGV[2], ARGV[3]
local dropped = 0
local t = redis.call('TIME')
local minId = string.format('%d', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[4]))
for _, uid in ipairs({ a, b }) do
  if redis.call('ZREM', KEYS[1], uid) == 1 then
    redis.call('HDEL', KEYS[2], uid)
    redis.call('XADD', KEYS[4], 'MINID', '~', minId, '*', 'e', '-' .. uid)
    dropped = dropped + 1
  end
end
redis.call('HSET', KEYS[3], a, 'c\031' .. b .. '\031' .. sid, b, 'c\031' .. a .. '\031' .. sid)
return dropped
