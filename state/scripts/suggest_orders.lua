-- Orders for autocomplete: the most recently updated entries of an index whose number starts with, or
-- whose label contains, what was typed (labels are "supplier<TAB>status").
-- KEYS[1] the index, KEYS[2] the labels hash. ARGV[1] typed text (lower case), ARGV[2] how many to
-- return, ARGV[3] how many index entries to look at at most, ARGV[4] an exact number to put first ("" = none).
-- Returns {n1, label1, n2, label2, ...}.
local typed, limit, cap = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local out, seen, found = {}, {}, 0
local function add(n)
  if seen[n] then return end
  local label = redis.call('HGET', KEYS[2], n)
  if not label then return end
  seen[n] = true
  out[#out + 1] = n; out[#out + 1] = label
  found = found + 1
end
if ARGV[4] ~= '' and redis.call('ZSCORE', KEYS[1], ARGV[4]) then add(ARGV[4]) end
local batch, start = 100, 0
while found < limit and start < cap do
  local ns = redis.call('ZREVRANGE', KEYS[1], start, start + batch - 1)
  if #ns == 0 then break end
  local labels = redis.call('HMGET', KEYS[2], unpack(ns))
  for j, n in ipairs(ns) do
    if found >= limit then break end
    local label = labels[j]
    if label and not seen[n] then
      if typed == '' or string.sub(n, 1, #typed) == typed or string.find(string.lower(label), typed, 1, true) then
        seen[n] = true
        out[#out + 1] = n; out[#out + 1] = label
        found = found + 1
      end
    end
  end
  start = start + batch
end
return out
