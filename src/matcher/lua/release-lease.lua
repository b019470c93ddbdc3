--[[
  release-lease: gives up the window-loop lease if ARGV[1] still holds it.

  KEYS[1] lease    STRING holder id
  ARGV[1] holder id
  Returns: 1 if released, 0 if someone else (or nobody) held it
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
