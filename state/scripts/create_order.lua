-- Create an order atomically.
-- KEYS[1] sequence counter, KEYS[2] server order index (zset), KEYS[3] buyer's order index (zset)
-- ARGV[1] server key base ("<prefix>:{g<id>}:"), ARGV[2] order JSON, ARGV[3] updated-at (ms),
-- ARGV[4] buyer ID, ARGV[5..] the "created" event's field/value pairs.
-- The order and events keys are derived from the number; they share the server's hash tag (same slot).
local n = redis.call('INCR', KEYS[1])
local order = ARGV[1] .. 'order:' .. n
redis.call('HSET', order, 'v', 1, 'd', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], n)
redis.call('ZADD', KEYS[3], ARGV[3], n)
local ev = {}
for i = 5, #ARGV do ev[#ev + 1] = ARGV[i] end
redis.call('XADD', order .. ':events', '*', unpack(ev))
return n
