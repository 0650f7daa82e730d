package dev.restflow.cache.redis

import java.security.MessageDigest

/** A Lua script run with `EVALSHA`, falling back to `EVAL` when the server does not know it yet. */
internal class RedisScript(body: String) {
    val text: String = PRELUDE + body
    val sha1: String = MessageDigest.getInstance("SHA-1").digest(text.toByteArray()).joinToString("") {
        "%02x".format(it)
    }

    companion object {
        /**
         * Helpers shared by every script. Numbers are formatted with `%d` because Lua would print large numbers in
         * exponent notation; sequences start from the server's time in microseconds, so a sequence key lost to
         * eviction restarts above every value it handed out before.
         */
        private const val PRELUDE = """
local function str(n) return string.format('%d', n) end
local function nowMillis()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function currentSeq(k)
  local v = redis.call('GET', k)
  if v then return tonumber(v) end
  local t = redis.call('TIME')
  v = t[1] .. string.format('%06d', tonumber(t[2]))
  redis.call('SET', k, v, 'NX')
  return tonumber(redis.call('GET', k))
end
local function nextSeq(k)
  currentSeq(k)
  return redis.call('INCR', k)
end
local function num(v) if v then return tonumber(v) end return 0 end
"""
    }
}

/** The scripts of [RedisCacheBackend]; see [RedisKeys] for the key layout they act on. */
internal object RedisScripts {
    /** KEYS: entry, seq, namespace record, partition record. Returns {value|nil, pttl, stampSeq, nowMillis}. */
    val get = RedisScript(
        """
local cur = currentSeq(KEYS[2])
local now = nowMillis()
local e = redis.call('HMGET', KEYS[1], 's', 'v')
if e[1] and e[2] then
  local s = tonumber(e[1])
  if s > num(redis.call('GET', KEYS[3])) and s > num(redis.call('GET', KEYS[4])) then
    return {e[2], redis.call('PTTL', KEYS[1]), cur, now}
  end
end
return {false, 0, cur, now}
""",
    )

    /**
     * KEYS: seq, namespace record, then entry and partition record of each key (one namespace). Returns
     * {stampSeq, nowMillis, then value|nil and pttl of each key}.
     */
    val getMany = RedisScript(
        """
local cur = currentSeq(KEYS[1])
local now = nowMillis()
local ns = num(redis.call('GET', KEYS[2]))
local out = {cur, now}
for i = 3, #KEYS, 2 do
  local e = redis.call('HMGET', KEYS[i], 's', 'v')
  local v, ttl = false, 0
  if e[1] and e[2] then
    local s = tonumber(e[1])
    if s > ns and s > num(redis.call('GET', KEYS[i + 1])) then
      v = e[2]
      ttl = redis.call('PTTL', KEYS[i])
    end
  end
  out[#out + 1] = v
  out[#out + 1] = ttl
end
return out
""",
    )

    /**
     * KEYS: entry, seq, namespace record, partition record. ARGV: value, ttl ms, stamp seq ('' = unconditional),
     * stamp time ms, maximum stamp age ms. Returns 1 when written, 0 when refused.
     */
    val set = RedisScript(
        """
if ARGV[3] ~= '' then
  local s = tonumber(ARGV[3])
  if nowMillis() - tonumber(ARGV[4]) > tonumber(ARGV[5]) then return 0 end
  if num(redis.call('GET', KEYS[3])) > s then return 0 end
  if num(redis.call('GET', KEYS[4])) > s then return 0 end
  if num(redis.call('HGET', KEYS[1], 's')) > s then return 0 end
end
local n = nextSeq(KEYS[2])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 's', str(n), 'v', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
""",
    )

    /** KEYS: seq, entries... ARGV: tombstone ttl ms. Replaces each entry by a tombstone. */
    val delete = RedisScript(
        """
for i = 2, #KEYS do
  local n = nextSeq(KEYS[1])
  redis.call('DEL', KEYS[i])
  redis.call('HSET', KEYS[i], 's', str(n))
  redis.call('PEXPIRE', KEYS[i], ARGV[1])
end
return #KEYS - 1
""",
    )

    /** KEYS: seq, invalidation record. ARGV: record ttl ms ('' = none). Records the next sequence. */
    val invalidate = RedisScript(
        """
local n = nextSeq(KEYS[1])
if ARGV[1] ~= '' then
  redis.call('SET', KEYS[2], str(n), 'PX', ARGV[1])
else
  redis.call('SET', KEYS[2], str(n))
end
return n
""",
    )

    /** KEYS: counter. ARGV: delta, ttl ms. The TTL is set once, when the counter has none. */
    val increment = RedisScript(
        """
local v = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return v
""",
    )

    /** KEYS: lease, seq. ARGV: ttl ms. Returns {token, nowMillis}, token 0 when the lease is held. */
    val acquireLease = RedisScript(
        """
local now = nowMillis()
if redis.call('EXISTS', KEYS[1]) == 1 then return {0, now} end
local n = nextSeq(KEYS[2])
redis.call('SET', KEYS[1], str(n), 'PX', ARGV[1])
return {n, now}
""",
    )

    /** KEYS: lease. ARGV: token. Returns 1 when released. */
    val releaseLease = RedisScript(
        """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
""",
    )
}
