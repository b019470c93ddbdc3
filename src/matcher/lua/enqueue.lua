--[[
  enqueue: put a user's ticket into the ES-MM pool, unless the user is already searching,
  already chatting, or banned from matching. Appends the user's recent partners to the
  ticket's avoid list, so they are never proposed during this search.

  KEYS[1] pool     ZSET   userId -> enqueuedAt (ms)
  KEYS[2] tickets  HASH   userId -> encoded ticket
  KEYS[3] users    HASH   userId -> 's' (searching) | 'c' US partnerId US sessionId (chatting); absent = offline
  KEYS[4] banned   ZSET   userId -> banned until (ms)
  KEYS[5] log      STREAM pool changes, one field e = '+userId' | '-userId'
  ARGV[1] prefix of per-user keys ('<prefix>:mm:'), for '<prefix>:mm:recent:<userId>'
  ARGV[2] userId
  ARGV[3] now (ms) = the ticket's enqueuedAt
  ARGV[4] encoded ticket; its last field is the avoid list (US-separated)
  ARGV[5] recent partner limit N (the last N partners are avoided)
  ARGV[6] recent partner window (ms)
  ARGV[7] log retention (ms)
  Returns: 'queued' | 'already_searching' | 'already_chatting' | 'banned'
]]
local uid = ARGV[2]
local now = tonumber(ARGV[3])
local st = redis.call('HGET', KEYS[3], uid)
if st == 's' then return 'already_searching' end
if st then return 'already_chatting' end
local bannedUntil = redis.call('ZSCORE', KEYS[4], uid)
if bannedUntil and tonumber(bannedUntil) > now then return 'banned' end

local ticket = ARGV[4]
local limit = tonumber(ARGV[5])
if limit > 0 then
  local recent = redis.call('ZREVRANGEBYSCORE', ARGV[1] .. 'recent:' .. uid, '+inf',
    '(' .. string.format('%d', now - tonumber(ARGV[6])), 'LIMIT', 0, limit)
  for _, partner in ipairs(recent) do ticket = ticket .. '\031' .. partner end
end

redis.call('ZADD', KEYS[1], ARGV[3], uid)
redis.call('HSET', KEYS[2], uid, ticket)
redis.call('HSET', KEYS[3], uid, 's')
local t = redis.call('TIME')
local minId = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[7])
redis.call('XADD', KEYS[5], 'MINID', '~', string.format('%d', minId), '*', 'e', '+' .. uid)
return 'queued'
