package dev.restflow.ktor.auth.jwt

import java.security.KeyPair
import java.security.KeyPairGenerator
import java.security.spec.ECGenParameterSpec
import java.time.Clock
import java.time.Instant
import java.time.ZoneOffset
import java.util.Base64

/** Key pairs and PEM text for JWT tests, generated once per JVM. */
object TestKeys {
    val rsa: KeyPair by lazy { KeyPairGenerator.getInstance("RSA").apply { initialize(2048) }.generateKeyPair() }
    val ecP256: KeyPair by lazy { ec("secp256r1") }
    val ecP384: KeyPair by lazy { ec("secp384r1") }

    private fun ec(curve: String) = KeyPairGenerator.getInstance("EC").apply { initialize(ECGenParameterSpec(curve)) }.generateKeyPair()

    fun privatePem(pair: KeyPair): String = pem("PRIVATE KEY", pair.private.encoded)

    fun publicPem(pair: KeyPair): String = pem("PUBLIC KEY", pair.public.encoded)

    private fun pem(label: String, der: ByteArray): String =
        "-----BEGIN $label-----\n" + Base64.getMimeEncoder(64, "\n".toByteArray()).encodeToString(der) + "\n-----END $label-----\n"

    const val SECRET: String = "a-test-secret-that-is-at-least-32-bytes-long"
}

/** A clock tests move by hand. */
class MutableClock(var now: Instant) : Clock() {
    override fun instant(): Instant = now
    override fun getZone(): ZoneOffset = ZoneOffset.UTC
    override fun withZone(zone: java.time.ZoneId?): Clock = this
}
