--[[
  end-pair: sets both users of a session back to offline, each only if it is still in that
  session with that partner (a late /stop of an old session must not end a newer one).

  KEYS[1] users    HASH   userId -> 's' | 'c' US partnerId US sessionId
  ARGV[1] userA
  ARGV[2] userB
  ARGV[3] sessionId
  Returns: how many of the two were set offline (0, 1 or 2)
]]
local a, b, sid = ARGV[1], ARGV[2], ARGV[3]
local n = 0
if redis.call('HGET', KEYS[1], a) == 'c\031' .. b .. '\031' .. sid then
  redis.call('HDEL', KEYS[1], a)
  n = n + 1
end
if redis.call('HGET', KEYS[1], b) == 'c\031' .. a .. '\031' .. sid then
  redis.call('HDEL', KEYS[1], b)
  n = n + 1
end
return n
