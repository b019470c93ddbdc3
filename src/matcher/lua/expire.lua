--[[
  expire: cancels searches older than the search timeout (oldest first, at most `limit`),
  skipping tickets held by a live claim right now (the next run gets them if still there).

  KEYS[1] pool     ZSET   userId -> enqueuedAt
  KEYS[2] tickets  HASH   userId -> encoded ticket
  KEYS[3] users    HASH   userId -> 's' | 'c' US partnerId US sessionId
  KEYS[4] claims   HASH   userId -> token US expiresAt
  KEYS[5] log      STREAM pool changes (e = '-id,id,...')
  ARGV[1] cutoff (ms): tickets enqueued at or before it have timed out
  ARGV[2] limit
  ARGV[3] log retention (ms)
  Returns: the user ids whose search was cancelled
]]
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {}
for _, uid in ipairs(ids) do
  local claim = redis.call('HGET', KEYS[4], uid)
  local held = false
  if claim then
    local sep = string.find(claim, '\031', 1, true)
    held = tonumber(string.sub(claim, sep + 1)) > now
  end
  if not held then
    redis.call('ZREM', KEYS[1], uid)
    redis.call('HDEL', KEYS[2], uid)
    redis.call('HDEL', KEYS[4], uid)
    if redis.call('HGET', KEYS[3], uid) == 's' then redis.call('HDEL', KEYS[3], uid) end
    out[#out + 1] = uid
  end
end
if #out > 0 then
  redis.call('XADD', KEYS[5], 'MINID', '~', string.format('%d', now - tonumber(ARGV[3])), '*', 'e',
    '-' .. table.concat(out, ','))
end
return out
