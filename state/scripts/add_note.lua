-- Append one event to an order's timeline and mark the order updated, without touching its record:
-- notes never conflict with each other or with a status change, so they need no compare-and-set.
-- KEYS[1] the order's hash. ARGV[1] server key base, ARGV[2] order number, ARGV[3] updated-at (ms),
-- ARGV[4..] the event's field/value pairs. Returns 1, or 0 when the order does not exist.
local cur = redis.call('HMGET', KEYS[1], 's', 'b', 'u')
if not cur[1] then return 0 end
local base, n, at = ARGV[1], ARGV[2], tonumber(ARGV[3])
if (not cur[3]) or tonumber(cur[3]) < at then redis.call('HSET', KEYS[1], 'u', ARGV[3]) end
local function bump(key)
  local s = redis.call('ZSCORE', key, n)
  if (not s) or tonumber(s) < at then redis.call('ZADD', key, at, n) end
end
bump(base .. 'orders')
bump(base .. 'buyer:' .. cur[2])
bump(base .. 'st:' .. cur[1])
bump(base .. 'bs:' .. cur[2] .. ':' .. cur[1])
local ev = {}
for j = 4, #ARGV do ev[#ev + 1] = ARGV[j] end
redis.call('XADD', KEYS[1] .. ':events', '*', unpack(ev))
return 1
