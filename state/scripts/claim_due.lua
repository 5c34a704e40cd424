-- Claim due timers: return the members of a server's timer set whose time has come and push each
-- out by a lease, so that with many replicas sweeping each is handled once. The order write that
-- handles a timer removes or reschedules it; if the handler dies first, the timer is due again when
-- the lease ends.
-- KEYS[1] the timer set. ARGV[1] now (ms), ARGV[2] at most this many, ARGV[3] lease end (ms).
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
for _, m in ipairs(due) do redis.call('ZADD', KEYS[1], ARGV[3], m) end
return due
