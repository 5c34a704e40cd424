-- Replace an order's record under compare-and-set on its version, with its index operations and events.
-- KEYS[1] the order's hash.
-- ARGV[1] server key base, ARGV[2] expected version, ARGV[3] new JSON, ARGV[4] updated-at (ms),
-- ARGV[5] status, ARGV[6] buyer ID, then the index operations and the events (see lib.lua).
-- Returns {1, new version}; {0, version, JSON, updated-at} when the version moved on (nothing written);
-- {-1} when the order does not exist.
local cur = redis.call('HMGET', KEYS[1], 'v', 'd', 'u')
if not cur[2] then return {-1} end
if cur[1] ~= ARGV[2] then return {0, cur[1], cur[2], cur[3] or '0'} end
local v = tonumber(cur[1]) + 1
local u = ARGV[4]
if cur[3] and tonumber(cur[3]) > tonumber(u) then u = cur[3] end
redis.call('HSET', KEYS[1], 'v', v, 'd', ARGV[3], 'u', u, 's', ARGV[5], 'b', ARGV[6])
local i = apply_ops(ARGV[1], ARGV, 7, nil)
add_events(KEYS[1] .. ':events', ARGV, i)
return {1, tostring(v)}
