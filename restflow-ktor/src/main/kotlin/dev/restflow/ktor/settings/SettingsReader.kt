package dev.restflow.ktor.settings

import dev.restflow.cache.key.KeyHashAlgorithm
import io.ktor.server.config.ApplicationConfig
import java.time.Duration

/**
 * Reads the `restflow` block of an [ApplicationConfig] into a [RestflowSettingsBuilder].
 *
 * Works on `ApplicationConfig.toMap()`, so HOCON, YAML and `MapApplicationConfig` behave the same: values may
 * arrive as strings, numbers or booleans and are coerced; every unknown key and bad value is reported with its
 * full path, all at once.
 */
internal object SettingsReader {
    fun apply(b: RestflowSettingsBuilder, config: ApplicationConfig, problems: Problems) {
        val root = config.toMap()[RestflowSettings.CONFIG_PATH] ?: return
        read(b, root, problems, keys = null)
    }

    /** Every key path the reader understands, in reading order; `rates` stands for its free-form scopes. */
    val keyPaths: List<String> by lazy {
        val all = mutableListOf<String>()
        val sections = mapOf(
            "jwt" to emptyMap<String, Any?>(),
            "cache" to mapOf("dispatchers" to DispatchersSettings.BUILT_IN.associateWith { emptyMap<String, Any?>() }),
            "pagination" to emptyMap(),
            "throttle" to mapOf("rates" to emptyMap<String, Any?>()),
            "request" to emptyMap(),
        )
        read(RestflowSettingsBuilder(), sections, Problems(), all)
        all.toList()
    }

    private fun read(b: RestflowSettingsBuilder, root: Any?, problems: Problems, keys: MutableList<String>?) {
        val restflow = Section(RestflowSettings.CONFIG_PATH, root, problems, keys) ?: return
        restflow.section("jwt") { readJwt(b.jwt) }
        restflow.section("cache") { readCache(b.cache) }
        restflow.section("pagination") {
            int("page-size") { b.pagination.pageSize = it }
            int("max-page-size") { b.pagination.maxPageSize = it }
        }
        restflow.section("throttle") {
            section("rates") {
                entries().forEach { (scope, value) ->
                    val text = scalar(scope, value, "a rate such as 100/min") ?: return@forEach
                    val rate = ThrottleRate.parseOrNull(text)
                    if (rate == null) {
                        problem(scope, "'$text' is not a throttle rate; write N/period with period one of s, min, hour, day (e.g. 100/min)")
                    } else {
                        b.throttle.rates[scope] = rate
                    }
                }
            }
            stringList("trusted-proxies") { b.throttle.trustedProxies = it }
        }
        restflow.section("request") {
            size("max-body-size") { b.request.maxBodySize = it }
            string("id-header") { b.request.idHeader = it }
            int("max-concurrent-streams") { b.request.maxConcurrentStreams = it }
        }
        restflow.finish()
    }

    private fun Section.readJwt(j: JwtSettingsBuilder) {
        nullableString("signing-key") { j.signingKey = it }
        nullableString("verifying-key") { j.verifyingKey = it }
        choice("algorithm", JwtAlgorithm.entries.associateBy { it.headerName }) { j.algorithm = it }
        duration("access-token-lifetime") { j.accessTokenLifetime = it }
        duration("refresh-token-lifetime") { j.refreshTokenLifetime = it }
        nullableString("issuer") { j.issuer = it }
        nullableString("audience") { j.audience = it }
        string("user-id-claim") { j.userIdClaim = it }
        string("user-id-field") { j.userIdField = it }
        stringList("user-id-field-allowlist") { j.userIdFieldAllowlist = it.toCollection(linkedSetOf()) }
        stringList("auth-header-types") { j.authHeaderTypes = it }
        boolean("blacklist-enabled") { j.blacklistEnabled = it }
        choice("blacklist-backend", BlacklistBackend.entries.associateBy { it.configName }) { j.blacklistBackend = it }
        string("blacklist-cache") { j.blacklistCache = it }
        boolean("blacklist-allow-in-memory") { j.blacklistAllowInMemory = it }
        duration("blacklist-timeout") { j.blacklistTimeout = it }
        boolean("blacklist-fail-open") { j.blacklistFailOpen = it }
        boolean("blacklist-near-cache") { j.blacklistNearCache = it }
        boolean("rotate-refresh-tokens") { j.rotateRefreshTokens = it }
        duration("leeway") { j.leeway = it }
        boolean("check-user-is-active") { j.checkUserIsActive = it }
        boolean("check-revoke-token") { j.checkRevokeToken = it }
        string("revoke-token-claim") { j.revokeTokenClaim = it }
    }

    private fun Section.readCache(c: CacheSettingsBuilder) {
        nullableString("url") { c.url = it }
        long("maximum-size") { c.maximumSize = it }
        duration("command-timeout") { c.commandTimeout = it }
        nullableDuration("l1-ttl") { c.l1Ttl = it }
        int("max-key-suffix-length") { c.maxKeySuffixLength = it }
        boolean("hash-suffix-on-overflow") { c.hashSuffixOnOverflow = it }
        choice("key-hash-algorithm", KEY_HASH_ALGORITHMS.associateBy { it.name }) { c.keyHashAlgorithm = it }
        choice("default-dispatcher", DispatchersSettings.BUILT_IN.associateBy { it }) { c.defaultDispatcher = it }
        boolean("dispatcher-raise-exception") { c.dispatcherRaiseException = it }
        section("dispatchers") {
            val d = c.dispatchers
            section(DispatchersSettings.INLINE) { raiseException(d.inline) }
            section(DispatchersSettings.THREADPOOL) {
                raiseException(d.threadpool)
                int("max-workers") { d.threadpool.maxWorkers = it }
                int("queue-capacity") { d.threadpool.queueCapacity = it }
            }
            section(DispatchersSettings.COROUTINE) { raiseException(d.coroutine) }
            section(DispatchersSettings.REDIS_STREAM) {
                raiseException(d.redisStream)
                string("stream") { d.redisStream.stream = it }
                string("group") { d.redisStream.group = it }
                int("max-retries") { d.redisStream.maxRetries = it }
                string("dead-letter-stream") { d.redisStream.deadLetterStream = it }
                duration("claim-idle") { d.redisStream.claimIdle = it }
            }
            section(DispatchersSettings.OUTBOX) {
                raiseException(d.outbox)
                string("table") { d.outbox.table = it }
                duration("poll-interval") { d.outbox.pollInterval = it }
                int("batch-size") { d.outbox.batchSize = it }
                int("max-retries") { d.outbox.maxRetries = it }
            }
        }
    }

    private val KEY_HASH_ALGORITHMS = listOf(KeyHashAlgorithm.SHA256, KeyHashAlgorithm.SHA512, KeyHashAlgorithm.BLAKE2B, KeyHashAlgorithm.MD5)

    private fun Section.raiseException(options: DispatcherOptionsBuilder) {
        nullableBoolean("raise-exception") { options.raiseException = it }
    }

    /** One object of the config, remembering which keys were read so the rest can be reported as unknown. */
    private class Section private constructor(
        val path: String,
        val values: Map<String, Any?>,
        val problems: Problems,
        val keys: MutableList<String>?,
    ) {
        private val known = linkedSetOf<String>()
        private val sections = mutableSetOf<String>()

        fun entries(): Map<String, Any?> {
            known.addAll(values.keys)
            keys?.add(path)
            return values
        }

        fun problem(key: String, message: String) = problems.add("$path.$key: $message")

        fun section(key: String, read: Section.() -> Unit) {
            known += key
            sections += key
            if (!values.containsKey(key)) return
            val child = invoke("$path.$key", values[key], problems, keys) ?: return
            child.read()
            child.finish()
        }

        fun finish() {
            val unknown = values.keys - known
            unknown.sorted().forEach {
                problems.add("$path.$it: unknown key; valid keys: ${known.joinToString(", ")}")
            }
        }

        private fun leaf(key: String) {
            known += key
            keys?.add("$path.$key")
        }

        private inline fun read(key: String, expected: String, allowNull: Boolean, parse: (String) -> Unit) {
            leaf(key)
            if (!values.containsKey(key)) return
            val raw = values[key]
            if (raw == null) {
                if (!allowNull) problem(key, "must not be null; expected $expected")
                return
            }
            scalar(key, raw, expected)?.let(parse)
        }

        fun scalar(key: String, raw: Any?, expected: String): String? = when (raw) {
            is String -> raw
            is Number, is Boolean -> raw.toString()
            else -> {
                problem(key, "expected $expected, got ${describe(raw)}")
                null
            }
        }

        fun string(key: String, set: (String) -> Unit) = read(key, "a string", false, set)

        /** An explicit `null` sets `null`; anything else is read by [read]. */
        private inline fun <T : Any> nullable(key: String, set: (T?) -> Unit, read: () -> Unit) {
            if (values.containsKey(key) && values[key] == null) {
                leaf(key)
                set(null)
            } else {
                read()
            }
        }

        fun nullableString(key: String, set: (String?) -> Unit) = nullable(key, set) { string(key, set) }

        fun int(key: String, set: (Int) -> Unit) = read(key, "an integer", false) { text ->
            text.trim().toIntOrNull()?.let(set) ?: problem(key, "expected an integer, got '$text'")
        }

        fun long(key: String, set: (Long) -> Unit) = read(key, "an integer", false) { text ->
            text.trim().toLongOrNull()?.let(set) ?: problem(key, "expected an integer, got '$text'")
        }

        fun nullableDuration(key: String, set: (Duration?) -> Unit) = nullable(key, set) { duration(key, set) }

        fun boolean(key: String, set: (Boolean) -> Unit) = read(key, "true or false", false) { text ->
            ConfigValues.boolean(text)?.let(set) ?: problem(key, "expected true or false, got '$text'")
        }

        fun nullableBoolean(key: String, set: (Boolean?) -> Unit) = nullable(key, set) { boolean(key, set) }

        fun duration(key: String, set: (Duration) -> Unit) = read(key, ConfigValues.DURATION_FORMS, false) { text ->
            ConfigValues.duration(text)?.let(set)
                ?: problem(key, "expected ${ConfigValues.DURATION_FORMS}, got '$text'")
        }

        fun size(key: String, set: (Long) -> Unit) = read(key, "a size such as 1048576, 512KB or 10MB", false) { text ->
            ConfigValues.size(text)?.let(set) ?: problem(key, "expected a size such as 1048576, 512KB or 10MB, got '$text'")
        }

        fun <T> choice(key: String, choices: Map<String, T>, set: (T) -> Unit) =
            read(key, "one of ${choices.keys.joinToString(", ")}", false) { text ->
                val found = choices.entries.firstOrNull { it.key.equals(text.trim(), ignoreCase = true) }?.value
                if (found == null) {
                    problem(key, "'$text' is not a valid choice; valid choices: ${choices.keys.joinToString(", ")}")
                } else {
                    set(found)
                }
            }

        fun stringList(key: String, set: (List<String>) -> Unit) {
            leaf(key)
            if (!values.containsKey(key)) return
            when (val raw = values[key]) {
                is List<*> -> {
                    val items = raw.map { item -> scalar(key, item, "a list of strings") ?: return }
                    set(items.map(String::trim).filter(String::isNotEmpty))
                }
                is String -> set(raw.split(',').map(String::trim).filter(String::isNotEmpty))
                else -> problem(key, "expected a list of strings, got ${describe(raw)}")
            }
        }

        companion object {
            operator fun invoke(path: String, raw: Any?, problems: Problems, keys: MutableList<String>?): Section? {
                if (raw !is Map<*, *>) {
                    problems.add("$path: expected an object, got ${describe(raw)}")
                    return null
                }
                @Suppress("UNCHECKED_CAST")
                return Section(path, raw as Map<String, Any?>, problems, keys)
            }

            fun describe(raw: Any?): String = when (raw) {
                null -> "null"
                is Map<*, *> -> "an object"
                is List<*> -> "a list"
                else -> "'$raw'"
            }
        }
    }
}
