package dev.restflow.ktor.auth.jwt

import com.auth0.jwt.algorithms.Algorithm
import dev.restflow.ktor.settings.JwtAlgorithm
import dev.restflow.ktor.settings.JwtSettings
import dev.restflow.ktor.settings.RestflowConfigurationException
import java.security.KeyFactory
import java.security.PrivateKey
import java.security.PublicKey
import java.security.interfaces.ECPrivateKey
import java.security.interfaces.ECPublicKey
import java.security.interfaces.RSAPrivateCrtKey
import java.security.interfaces.RSAPrivateKey
import java.security.interfaces.RSAPublicKey
import java.security.spec.PKCS8EncodedKeySpec
import java.security.spec.RSAPublicKeySpec
import java.security.spec.X509EncodedKeySpec
import java.util.Base64

/**
 * Turns `restflow.jwt` keys into the signing and verifying [Algorithm]s, refusing at start-up every key that does not
 * fit the configured algorithm (R-02): a PEM with HMAC, a secret with RS/PS/ES, an RSA key with ES, an EC key on the
 * wrong curve, RSA keys under 2048 bits, unparsable PEM.
 */
internal class JwtKeys private constructor(
    /** Signs, or `null` when only a verifying key is configured. */
    val signer: Algorithm?,
    /** Verifies. */
    val verifier: Algorithm,
) {
    companion object {
        private const val PATH = "restflow.jwt"

        fun from(settings: JwtSettings): JwtKeys {
            val alg = settings.algorithm
            return when (alg.family) {
                JwtAlgorithm.KeyFamily.HMAC -> {
                    val secret = settings.signingKey
                        ?: fail("signing-key", "is required for ${alg.headerName}")
                    if (secret.trimStart().startsWith("-----BEGIN")) {
                        fail("signing-key", "a PEM key cannot be used with ${alg.headerName}; use an RS/PS/ES algorithm for key pairs")
                    }
                    val bytes = secret.toByteArray(Charsets.UTF_8)
                    val minimum = when (alg) { JwtAlgorithm.HS384 -> 48; JwtAlgorithm.HS512 -> 64; else -> 32 }
                    if (bytes.size < minimum) {
                        fail("signing-key", "${alg.headerName} needs a secret of at least $minimum bytes, got ${bytes.size}")
                    }
                    val a = hmac(alg, bytes)
                    JwtKeys(a, a)
                }
                JwtAlgorithm.KeyFamily.RSA -> {
                    val private = settings.signingKey?.let { privateKey(it, "RSA", "signing-key") as? RSAPrivateKey }
                    val public = settings.verifyingKey?.let { publicKey(it, "RSA", "verifying-key") as RSAPublicKey }
                        ?: (private as? RSAPrivateCrtKey)?.let(::publicOf)
                        ?: fail("verifying-key", "is required for ${alg.headerName} (a PEM public key)")
                    if (public.modulus.bitLength() < 2048) {
                        fail("verifying-key", "RSA keys must have at least 2048 bits, got ${public.modulus.bitLength()}")
                    }
                    if (private != null && private.modulus != public.modulus) {
                        fail("verifying-key", "does not belong to signing-key")
                    }
                    JwtKeys(private?.let { rsa(alg, public, it) }, rsa(alg, public, null))
                }
                JwtAlgorithm.KeyFamily.EC -> {
                    val private = settings.signingKey?.let { privateKey(it, "EC", "signing-key") as ECPrivateKey }
                    val public = settings.verifyingKey?.let { publicKey(it, "EC", "verifying-key") as ECPublicKey }
                        ?: fail("verifying-key", "is required for ${alg.headerName} (a PEM public key)")
                    val bits = curveBits(alg)
                    listOfNotNull(public.params, private?.params).forEach { params ->
                        val size = params.curve.field.fieldSize
                        if (size != bits) fail("verifying-key", "${alg.headerName} needs a P-$bits key, got a $size-bit curve")
                    }
                    JwtKeys(private?.let { ec(alg, public, it) }, ec(alg, public, null))
                }
            }
        }

        private fun curveBits(alg: JwtAlgorithm) = when (alg) {
            JwtAlgorithm.ES256 -> 256
            JwtAlgorithm.ES384 -> 384
            else -> 521
        }

        private fun hmac(alg: JwtAlgorithm, secret: ByteArray): Algorithm = when (alg) {
            JwtAlgorithm.HS256 -> Algorithm.HMAC256(secret)
            JwtAlgorithm.HS384 -> Algorithm.HMAC384(secret)
            else -> Algorithm.HMAC512(secret)
        }

        private fun rsa(alg: JwtAlgorithm, public: RSAPublicKey, private: RSAPrivateKey?): Algorithm = when (alg) {
            JwtAlgorithm.RS256 -> Algorithm.RSA256(public, private)
            JwtAlgorithm.RS384 -> Algorithm.RSA384(public, private)
            JwtAlgorithm.RS512 -> Algorithm.RSA512(public, private)
            JwtAlgorithm.PS256 -> Algorithm.RSA256PSS(public, private)
            JwtAlgorithm.PS384 -> Algorithm.RSA384PSS(public, private)
            else -> Algorithm.RSA512PSS(public, private)
        }

        private fun ec(alg: JwtAlgorithm, public: ECPublicKey, private: ECPrivateKey?): Algorithm = when (alg) {
            JwtAlgorithm.ES256 -> Algorithm.ECDSA256(public, private)
            JwtAlgorithm.ES384 -> Algorithm.ECDSA384(public, private)
            else -> Algorithm.ECDSA512(public, private)
        }

        private fun publicOf(key: RSAPrivateCrtKey): RSAPublicKey =
            KeyFactory.getInstance("RSA").generatePublic(RSAPublicKeySpec(key.modulus, key.publicExponent)) as RSAPublicKey

        private fun privateKey(pem: String, family: String, key: String): PrivateKey {
            val der = pemBody(pem, "PRIVATE KEY", key)
            return try {
                KeyFactory.getInstance(family).generatePrivate(PKCS8EncodedKeySpec(der))
            } catch (e: Exception) {
                fail(key, "is not a PKCS#8 $family private key (${e.javaClass.simpleName})")
            }
        }

        private fun publicKey(pem: String, family: String, key: String): PublicKey {
            val der = pemBody(pem, "PUBLIC KEY", key)
            return try {
                KeyFactory.getInstance(family).generatePublic(X509EncodedKeySpec(der))
            } catch (e: Exception) {
                fail(key, "is not an X.509 $family public key (${e.javaClass.simpleName})")
            }
        }

        private fun pemBody(pem: String, label: String, key: String): ByteArray {
            val text = pem.trim()
            val begin = "-----BEGIN $label-----"
            val end = "-----END $label-----"
            if (!text.startsWith(begin) || !text.endsWith(end)) {
                val found = Regex("-----BEGIN ([A-Z ]+)-----").find(text)?.groupValues?.get(1)
                val hint = when (found) {
                    "RSA PRIVATE KEY", "EC PRIVATE KEY" ->
                        "; convert it with `openssl pkcs8 -topk8 -nocrypt -in key.pem`"
                    else -> ""
                }
                fail(key, "must be a PEM block '$begin', got ${found?.let { "'$it'" } ?: "no PEM block"}$hint")
            }
            return try {
                Base64.getMimeDecoder().decode(text.removePrefix(begin).removeSuffix(end))
            } catch (e: IllegalArgumentException) {
                fail(key, "is not valid base64 PEM")
            }
        }

        private fun fail(key: String, message: String): Nothing =
            throw RestflowConfigurationException(listOf("$PATH.$key: $message"))
    }
}
