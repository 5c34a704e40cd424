-- Advance a conversation under compare-and-set on its version, sliding its expiry.
-- KEYS[1] the conversation's hash, KEYS[2] its lookup pointer or absent.
-- ARGV[1] expected version, ARGV[2] step, ARGV[3] data, ARGV[4] now (ms), ARGV[5] TTL (ms).
-- Returns {1, new version}; {0, current version} when another write got there first; {-1} when it expired.
local v = redis.call('HGET', KEYS[1], 'v')
if not v then return {-1} end
if v ~= ARGV[1] then return {0, tonumber(v)} end
v = tonumber(v) + 1
redis.call('HSET', KEYS[1], 'v', v, 'step', ARGV[2], 'data', ARGV[3], 'updated', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
if KEYS[2] then redis.call('PEXPIRE', KEYS[2], ARGV[5]) end
return {1, v}
