-- Shared helpers, prepended to every order script (see scripts.go).
-- Index operations come from Go as flat ARGV runs: kind, key suffix, a, b. The key suffix is appended
-- to the server's key base, so a script never touches another server's keys (one hash slot per server).
--   zmax  key member score : ZADD unless the member already has a higher score (update times only grow)
--   zadd  key member score : ZADD
--   zrem  key member -     : ZREM
--   hset  key field value  : HSET
--   hsetnx key field value : HSETNX
--   hdel  key field -      : HDEL
--   hincr key field delta  : HINCRBY (a supplier's open total per currency, in minor units)
--   rpush key value -      : RPUSH (an order's dispute evidence)
-- In a created order's operations, a member/field "#" or ending in ":#" stands for the new number.
local function subst(s, n)
  if n == nil then return s end
  if s == '#' then return tostring(n) end
  if string.sub(s, -2) == ':#' then return string.sub(s, 1, -2) .. n end
  return s
end

local function apply_ops(base, argv, i, n)
  local count = tonumber(argv[i]); i = i + 1
  for _ = 1, count do
    local kind, key, a, b = argv[i], base .. argv[i + 1], subst(argv[i + 2], n), argv[i + 3]
    i = i + 4
    if kind == 'zmax' then
      local cur = redis.call('ZSCORE', key, a)
      if (not cur) or tonumber(cur) < tonumber(b) then redis.call('ZADD', key, b, a) end
    elseif kind == 'zadd' then
      redis.call('ZADD', key, b, a)
    elseif kind == 'zrem' then
      redis.call('ZREM', key, a)
    elseif kind == 'hset' then
      redis.call('HSET', key, a, b)
    elseif kind == 'hsetnx' then
      redis.call('HSETNX', key, a, b)
    elseif kind == 'hdel' then
      redis.call('HDEL', key, a)
    elseif kind == 'hincr' then
      redis.call('HINCRBY', key, a, b)
    elseif kind == 'rpush' then
      redis.call('RPUSH', key, a)
    else
      return redis.error_reply('unknown index op ' .. tostring(kind))
    end
  end
  return i
end

-- add_events appends events (ARGV run: count, then per event: field count, fields...) to a stream.
local function add_events(stream, argv, i)
  local count = tonumber(argv[i]); i = i + 1
  for _ = 1, count do
    local nf = tonumber(argv[i]); i = i + 1
    local fields = {}
    for j = 0, nf - 1 do fields[#fields + 1] = argv[i + j] end
    i = i + nf
    redis.call('XADD', stream, '*', unpack(fields))
  end
  return i
end
