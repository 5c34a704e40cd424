-- Create an order atomically.
-- KEYS[1] the server's order sequence counter.
-- ARGV[1] server key base ("<prefix>:{g<id>}:"), ARGV[2] order JSON, ARGV[3] updated-at (ms),
-- ARGV[4] status, ARGV[5] buyer ID, then the index operations and the events (see lib.lua).
-- The order and events keys are derived from the number; they share the server's hash tag (same slot).
local n = redis.call('INCR', KEYS[1])
local base = ARGV[1]
local order = base .. 'order:' .. n
redis.call('HSET', order, 'v', 1, 'd', ARGV[2], 'u', ARGV[3], 's', ARGV[4], 'b', ARGV[5])
local i = apply_ops(base, ARGV, 6, n)
add_events(order .. ':events', ARGV, i)
return n
