-- One page of an order index, newest update first, with each order's record.
-- KEYS[1] the index (sorted set by update time). ARGV[1] server key base, ARGV[2] start, ARGV[3] stop.
-- Returns {total, n1, v1, d1, u1, n2, ...}; an index entry whose record is gone is skipped.
local ns = redis.call('ZREVRANGE', KEYS[1], ARGV[2], ARGV[3])
local out = {redis.call('ZCARD', KEYS[1])}
for _, n in ipairs(ns) do
  local r = redis.call('HMGET', ARGV[1] .. 'order:' .. n, 'v', 'd', 'u')
  if r[2] then
    out[#out + 1] = n; out[#out + 1] = r[1]; out[#out + 1] = r[2]; out[#out + 1] = r[3] or '0'
  end
end
return out
