-- Start (or restart) a conversation.
-- KEYS[1] the conversation's hash, KEYS[2] its lookup pointer (the owner's "current conversation" for a
-- flow and subject) or absent. ARGV[1] flow, ARGV[2] step, ARGV[3] owner, ARGV[4] data, ARGV[5] now (ms),
-- ARGV[6] TTL (ms), ARGV[7] lookup name, ARGV[8] the server's key base, ARGV[9] the conversation id.
-- A conversation the pointer named before is deleted, so its buttons answer "expired".
if KEYS[2] then
  local old = redis.call('GET', KEYS[2])
  if old and old ~= ARGV[9] then redis.call('DEL', ARGV[8] .. 'conv:' .. old) end
  redis.call('SET', KEYS[2], ARGV[9], 'PX', ARGV[6])
end
local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '0') + 1
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'v', v, 'flow', ARGV[1], 'step', ARGV[2], 'owner', ARGV[3], 'data', ARGV[4],
  'started', ARGV[5], 'updated', ARGV[5], 'key', ARGV[7])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return v
