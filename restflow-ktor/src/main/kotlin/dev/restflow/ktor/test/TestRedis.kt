package dev.restflow.ktor.test

/** A real Redis server a test may use, injected by [RestflowServicesExtension]; share it by using keys of your own. */
public class TestRedis internal constructor(
    /** `redis://host:port/db`, ready for `restflow.cache.url` or Lettuce. */
    public val uri: String,
) {
    override fun toString(): String = "TestRedis($uri)"
}
