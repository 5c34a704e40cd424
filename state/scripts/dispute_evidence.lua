-- Append an evidence item to a dispute, with its timeline event.
-- KEYS[1] the order's disputes hash, KEYS[2] the dispute's evidence list, KEYS[3] the order's timeline.
-- ARGV[1] dispute number, ARGV[2] item JSON, ARGV[3] the most items a dispute may hold,
-- ARGV[4..] the event's field/value pairs.
-- Returns the number of items, -1 when the dispute does not exist, -2 when it holds the most items already.
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return -1 end
if redis.call('LLEN', KEYS[2]) >= tonumber(ARGV[3]) then return -2 end
local n = redis.call('RPUSH', KEYS[2], ARGV[2])
local ev = {}
for i = 4, #ARGV do ev[#ev + 1] = ARGV[i] end
redis.call('XADD', KEYS[3], '*', unpack(ev))
return n
