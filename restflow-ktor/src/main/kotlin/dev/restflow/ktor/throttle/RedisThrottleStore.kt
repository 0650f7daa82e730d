package dev.restflow.ktor.throttle

import dev.restflow.ktor.settings.ThrottleRate
import io.lettuce.core.ClientOptions
import io.lettuce.core.RedisClient
import io.lettuce.core.RedisNoScriptException
import io.lettuce.core.RedisURI
import io.lettuce.core.ScriptOutputType
import io.lettuce.core.SocketOptions
import io.lettuce.core.TimeoutOptions
import io.lettuce.core.api.StatefulRedisConnection
import io.lettuce.core.codec.StringCodec
import kotlinx.coroutines.future.await
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import org.slf4j.LoggerFactory
import java.security.MessageDigest
import java.time.Clock
import java.time.Duration
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicLong
import kotlin.coroutines.cancellation.CancellationException

private val LOG = LoggerFactory.getLogger("dev.restflow.ktor.throttle.RedisThrottleStore")

/**
 * GCRA in one Lua script (EVALSHA, EVAL when the server does not know it), so instances sharing Redis share each
 * budget. Times come from the application's clock (instances are expected to run NTP). Connects lazily; every
 * command is bounded by the command timeout; any failure answers from [local] and is logged once per outage.
 */
internal class RedisThrottleStore(
    url: String,
    private val timeout: Duration,
    private val clock: Clock,
    private val local: LocalThrottleStore,
) : ThrottleStore {
    private val uri = RedisURI.create(url).also { it.timeout = timeout }
    private val client: RedisClient = RedisClient.create(uri).apply {
        options = ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(timeout))
            .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(1)).build())
            .build()
    }
    private val connectLock = Mutex()

    @Volatile
    private var connection: StatefulRedisConnection<String, String>? = null

    @Volatile
    private var retryConnectAtNanos = 0L
    private val degraded = AtomicBoolean(false)

    /** Calls answered by the local fallback (the R-24 metric). */
    val fallbacks: AtomicLong = AtomicLong()

    override suspend fun acquire(key: String, rate: ThrottleRate): ThrottleDecision {
        try {
            val conn = connection() ?: return fallback(key, rate, null)
            val keys = arrayOf(KEY_PREFIX + key)
            val now = clock.instant().toMicros().toString()
            val args = arrayOf(now, rate.intervalMicros().toString(), rate.periodMicros().toString())
            val commands = conn.async()
            val wait: Long = try {
                commands.evalsha<Long>(SHA1, ScriptOutputType.INTEGER, keys, *args).await()
            } catch (e: RedisNoScriptException) {
                commands.eval<Long>(SCRIPT, ScriptOutputType.INTEGER, keys, *args).await()
            }
            if (degraded.compareAndSet(true, false)) LOG.info("Throttle store: Redis answers again, shared limits resumed")
            return if (wait <= 0L) ThrottleDecision.ALLOWED else ThrottleDecision.denied(Duration.ofNanos(wait * 1_000))
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            return fallback(key, rate, e)
        }
    }

    private suspend fun connection(): StatefulRedisConnection<String, String>? {
        connection?.let { return it }
        if (System.nanoTime() < retryConnectAtNanos) return null
        return connectLock.withLock {
            connection ?: try {
                client.connectAsync(StringCodec.UTF8, uri).await().also { connection = it }
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                retryConnectAtNanos = System.nanoTime() + RECONNECT_BACKOFF.toNanos()
                noteOutage(e)
                null
            }
        }
    }

    private fun fallback(key: String, rate: ThrottleRate, cause: Exception?): ThrottleDecision {
        if (cause != null) noteOutage(cause)
        fallbacks.incrementAndGet()
        return local.acquireNow(key, rate)
    }

    private fun noteOutage(cause: Exception) {
        if (degraded.compareAndSet(false, true)) {
            LOG.warn("Throttle store: Redis unavailable ({}), limiting per instance until it answers", cause.toString())
        }
    }

    override fun close() {
        runCatching { connection?.close() }
        runCatching { client.shutdown(Duration.ZERO, Duration.ofSeconds(1)) }
    }

    internal companion object {
        const val KEY_PREFIX = "restflow:throttle:"

        /** KEYS: tat key. ARGV: now µs, emission interval µs, period µs. Returns 0 when allowed, else the wait in µs. */
        val SCRIPT = """
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local period = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local nxt = tat + interval
if nxt - now > period then return nxt - period - now end
redis.call('SET', KEYS[1], string.format('%d', nxt), 'PX', math.ceil((nxt - now) / 1000) + 1000)
return 0
""".trimIndent()

        val SHA1: String = MessageDigest.getInstance("SHA-1").digest(SCRIPT.toByteArray()).joinToString("") { "%02x".format(it) }

        private val RECONNECT_BACKOFF = Duration.ofSeconds(1)
    }
}
