-- Write an order and one of its disputes together, under compare-and-set on the order's version:
-- opening a dispute, or recording a stage, moves the order and the dispute at once, or not at all.
-- KEYS[1] the order's hash, KEYS[2] its disputes hash, KEYS[3] its timeline stream,
-- KEYS[4] the server's order index, KEYS[5] the buyer's order index, KEYS[6] the dispute's evidence list.
-- ARGV[1] expected order version, ARGV[2] order JSON, ARGV[3] updated-at (ms), ARGV[4] order number,
-- ARGV[5] dispute number, ARGV[6] dispute JSON, ARGV[7] the count of evidence items, then the items,
-- then the event's field/value pairs.
-- Returns {1, new version}; {0, current version} when the order moved on; {-1} when it does not exist.
local cur = redis.call('HMGET', KEYS[1], 'v', 'd')
if not cur[2] then return {-1} end
if cur[1] ~= ARGV[1] then return {0, tonumber(cur[1])} end
local v = tonumber(cur[1]) + 1
redis.call('HSET', KEYS[1], 'v', v, 'd', ARGV[2])
redis.call('HSET', KEYS[2], ARGV[5], ARGV[6])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[4])
redis.call('ZADD', KEYS[5], ARGV[3], ARGV[4])
local n = tonumber(ARGV[7])
for i = 8, 7 + n do redis.call('RPUSH', KEYS[6], ARGV[i]) end
local ev = {}
for i = 8 + n, #ARGV do ev[#ev + 1] = ARGV[i] end
redis.call('XADD', KEYS[3], '*', unpack(ev))
return {1, v}
