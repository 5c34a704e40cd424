-- Delete a conversation under compare-and-set on its version, with its lookup pointer if it still names it.
-- KEYS[1] the conversation's hash, KEYS[2] its lookup pointer or absent. ARGV[1] expected version, ARGV[2] id.
-- Returns 1 when deleted, 0 when another write got there first, -1 when it had expired.
local v = redis.call('HGET', KEYS[1], 'v')
if not v then return -1 end
if v ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
if KEYS[2] and redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('DEL', KEYS[2]) end
return 1
