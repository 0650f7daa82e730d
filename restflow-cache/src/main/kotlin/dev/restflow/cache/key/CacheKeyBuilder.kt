package dev.restflow.cache.key

import dev.restflow.RestflowDsl
import kotlinx.serialization.KSerializer
import kotlinx.serialization.descriptors.SerialDescriptor

/**
 * Declares the parts of a [CacheKey]. Used as the receiver of [cacheKey] in Kotlin and as a fluent builder from
 * Java ([CacheKey.builder]); every function returns this builder. Not thread-safe; build once, share the key.
 *
 * Partition parts ([partition]) group entries for [dev.restflow.cache.CacheBackend.deletePartition]; suffix parts
 * ([part], [constant], [multi], [params]) tell entries of one partition apart. Request-shaped parts (a header, the
 * principal, the query string) are ordinary extractors here; the Ktor module adds named shortcuts for them.
 */
@RestflowDsl
public class CacheKeyBuilder<Args> internal constructor(private val namespace: String) {
    private var functionId: String = "default"
    private var version: String = "1"
    private var fingerprint: String? = null
    private val partitions = mutableListOf<KeyPart<Args>>()
    private val suffixes = mutableListOf<KeyPart<Args>>()
    private var maxSuffixLength: Int = 200
    private var overflowHash: KeyHashAlgorithm? = KeyHashAlgorithm.SHA256

    init {
        require(namespace.isNotEmpty()) { "a cache key needs a non-empty namespace" }
    }

    /** Names the function within the namespace (default `default`); give one per function sharing a namespace. */
    public fun function(id: String): CacheKeyBuilder<Args> = apply {
        require(id.isNotEmpty()) { "a function id must not be empty" }
        functionId = id
    }

    /** The key version (default `1`), part of every key: bump it to abandon every entry of an earlier version. */
    public fun version(version: String): CacheKeyBuilder<Args> = apply {
        require(version.isNotEmpty()) { "a key version must not be empty" }
        this.version = version
    }

    /** Puts a digest of [serializer]'s shape into the key, so entries of an older shape of the type are not read. */
    public fun fingerprint(serializer: KSerializer<*>): CacheKeyBuilder<Args> = fingerprint(serializer.descriptor)

    /** Puts a digest of [descriptor]'s shape into the key; see the [KSerializer] overload. */
    public fun fingerprint(descriptor: SerialDescriptor): CacheKeyBuilder<Args> = apply {
        fingerprint = SchemaFingerprint.of(descriptor)
    }

    /** A partition part named [name] taking its value from [value]. */
    public fun partition(name: String, value: KeyValue<Args>): CacheKeyBuilder<Args> = apply {
        partitions += KeyPart(checkName(name)) { KeyPart.single(name, value.extract(it)) }
    }

    /** A suffix part named [name] with a fixed [value], such as a representation version. */
    public fun constant(name: String, value: String): CacheKeyBuilder<Args> = apply {
        val rendered = KeyPart.single(checkName(name), value)
        suffixes += KeyPart(name) { rendered }
    }

    /** A suffix part named [name] taking its value from [value]. */
    public fun part(name: String, value: KeyValue<Args>): CacheKeyBuilder<Args> = apply {
        suffixes += KeyPart(checkName(name)) { KeyPart.single(name, value.extract(it)) }
    }

    /** A multi-valued suffix part: the values are sorted, so their order never makes a different key. */
    public fun multi(name: String, values: KeyValues<Args>): CacheKeyBuilder<Args> = apply {
        suffixes += KeyPart(checkName(name)) { KeyPart.multi(name, values.extract(it)) }
    }

    /**
     * A parameter-map suffix part (a query string): sorted by parameter name, each parameter's values sorted.
     * With [only], other parameters are ignored (e.g. tracking parameters).
     */
    @JvmOverloads
    public fun params(name: String, only: Collection<String>? = null, params: KeyParams<Args>): CacheKeyBuilder<Args> = apply {
        val selected = only?.toSet()
        suffixes += KeyPart(checkName(name)) { KeyPart.params(name, params.extract(it), selected) }
    }

    /** The longest suffix kept verbatim (default 200 characters); longer ones are hashed or truncated. */
    public fun maxSuffixLength(length: Int): CacheKeyBuilder<Args> = apply {
        require(length > 0) { "maxSuffixLength must be positive, was $length" }
        maxSuffixLength = length
    }

    /** Over-long suffixes are replaced by `#<name>-<digest>` of [algorithm] (the default, with SHA-256). */
    public fun hashOnOverflow(algorithm: KeyHashAlgorithm): CacheKeyBuilder<Args> = apply { overflowHash = algorithm }

    /**
     * Over-long suffixes are cut to [maxSuffixLength]. Keys that differ only after the cut then share an entry:
     * use it only when the tail never matters.
     */
    public fun truncateOnOverflow(): CacheKeyBuilder<Args> = apply { overflowHash = null }

    /** Builds the immutable key constructor. */
    public fun build(): CacheKey<Args> = CacheKey(
        namespace, functionId, version, fingerprint, partitions.toList(), suffixes.toList(), maxSuffixLength, overflowHash,
    )

    private fun checkName(name: String): String {
        require(name.isNotEmpty()) { "a key part needs a name" }
        require((partitions + suffixes).none { it.name == name }) { "the key part '$name' is declared twice" }
        return name
    }
}
