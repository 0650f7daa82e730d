package dev.restflow.cache.redis

import io.lettuce.core.ClientOptions
import io.lettuce.core.RedisChannelHandler
import io.lettuce.core.RedisClient
import io.lettuce.core.RedisConnectionStateListener
import io.lettuce.core.RedisURI
import io.lettuce.core.SocketOptions
import io.lettuce.core.TimeoutOptions
import io.lettuce.core.TrackingArgs
import io.lettuce.core.api.StatefulRedisConnection
import io.lettuce.core.api.push.PushListener
import io.lettuce.core.codec.ByteArrayCodec
import io.lettuce.core.protocol.ProtocolVersion
import io.lettuce.core.resource.ClientResources
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.future.await
import kotlinx.coroutines.isActive
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

/**
 * Keeps [near] truthful: a RESP3 connection of its own with `CLIENT TRACKING ON BCAST PREFIX …` over the key
 * prefixes of the near-cached namespaces, so Redis pushes an `invalidate` message for every write under them, from
 * any client. Each message empties [near].
 *
 * Every [heartbeatMillis] the connection is pinged; an answer vouches for it for two heartbeats (measured from when
 * the ping was sent). A failed ping, a disconnect or a failed connect stops [near] from serving and empties it; the
 * next round reconnects and re-enables tracking, and [near] serves again only after that (emptied once more, since
 * writes made while nobody listened were not announced). So a write announced by Redis is never missed silently: at
 * worst [near] serves what it kept for two heartbeats after the connection went silent (a Redis that is frozen takes
 * no writes meanwhile; a network that drops packets silently is the documented case).
 */
internal class NearCacheTracker(
    resources: ClientResources,
    private val uri: RedisURI,
    private val prefixes: List<String>,
    private val near: NearCache,
    private val heartbeatMillis: Long,
    commandTimeout: java.time.Duration,
    connectTimeout: java.time.Duration,
    private val scope: CoroutineScope,
) : AutoCloseable {
    private val client: RedisClient = RedisClient.create(resources, uri).apply {
        options = ClientOptions.builder()
            .protocolVersion(ProtocolVersion.RESP3)
            .autoReconnect(false)
            .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
            .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
            .build()
    }
    private val lock = Any()

    /** The tracking connection, or `null` between a loss and the next connect; guarded by [lock] for writes. */
    @Volatile
    private var current: StatefulRedisConnection<ByteArray, ByteArray>? = null

    /** Whether tracking is enabled on [current]; guarded by [lock]. */
    private var tracking = false

    @Volatile
    private var closed = false

    private val invalidations = PushListener { message -> if (message.type == "invalidate") near.invalidateAll() }

    init {
        client.addListener(object : RedisConnectionStateListener {
            override fun onRedisDisconnected(connection: RedisChannelHandler<*, *>) {
                if (connection === current) drop(connection)
            }
        })
        scope.launch { run() }
    }

    private suspend fun run() {
        while (scope.isActive && !closed) {
            try {
                val connection = current ?: connect()
                val sentAt = System.nanoTime()
                if (!synchronized(lock) { tracking }) {
                    connection.async().clientTracking(TrackingArgs.Builder.enabled().bcast().prefixes(*prefixes.toTypedArray())).await()
                    synchronized(lock) {
                        if (current === connection && connection.isOpen) {
                            tracking = true
                            near.restart(sentAt, 2 * heartbeatMillis * 1_000_000)
                        }
                    }
                } else {
                    connection.async().ping().await()
                    synchronized(lock) {
                        if (tracking && current === connection) near.vouch(sentAt, 2 * heartbeatMillis * 1_000_000)
                    }
                }
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                current?.let(::drop) ?: near.suspend()
            }
            delay(heartbeatMillis)
        }
    }

    private suspend fun connect(): StatefulRedisConnection<ByteArray, ByteArray> {
        val connection = withContext(Dispatchers.IO) { client.connect(ByteArrayCodec.INSTANCE, uri) }
        connection.addListener(invalidations)
        synchronized(lock) {
            current = connection
            tracking = false
        }
        return connection
    }

    /** Forgets [connection] (lost or failing): [near] stops serving until tracking is re-established. */
    private fun drop(connection: Any) {
        synchronized(lock) {
            near.suspend()
            if (current !== connection) return
            current = null
            tracking = false
        }
        (connection as? StatefulRedisConnection<*, *>)?.let { runCatching { it.closeAsync() } }
    }

    /** For tests: the Redis client id of the tracking connection, once tracking runs. */
    internal suspend fun clientId(): Long? = current?.async()?.clientId()?.await()

    override fun close() {
        closed = true
        synchronized(lock) {
            near.suspend()
            tracking = false
        }
        current?.let { runCatching { it.close() } }
        runCatching { client.shutdown(java.time.Duration.ZERO, java.time.Duration.ofSeconds(2)) }
    }
}
