--[[
  lease: acquire or renew the window-loop lease. Only the holder runs windows; if it dies,
  the lease expires and another matcher takes over.

  KEYS[1] lease    STRING holder id, with a ttl
  ARGV[1] holder id
  ARGV[2] ttl (ms)
  Returns: 1 if ARGV[1] holds the lease now, 0 otherwise
]]
local holder = redis.call('GET', KEYS[1])
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
