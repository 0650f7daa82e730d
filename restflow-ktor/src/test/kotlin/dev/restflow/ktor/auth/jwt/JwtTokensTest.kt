package dev.restflow.ktor.auth.jwt

import com.nimbusds.jose.JOSEObjectType
import com.nimbusds.jose.JWSAlgorithm
import com.nimbusds.jose.JWSHeader
import com.nimbusds.jose.crypto.ECDSAVerifier
import com.nimbusds.jose.crypto.MACSigner
import com.nimbusds.jose.crypto.MACVerifier
import com.nimbusds.jose.crypto.RSASSASigner
import com.nimbusds.jose.crypto.RSASSAVerifier
import com.nimbusds.jwt.JWTClaimsSet
import com.nimbusds.jwt.SignedJWT
import dev.restflow.ktor.settings.JwtAlgorithm
import dev.restflow.ktor.settings.JwtSettingsBuilder
import dev.restflow.ktor.settings.RestflowConfigurationException
import dev.restflow.ktor.settings.RestflowSettings
import java.net.URI
import java.security.interfaces.ECPublicKey
import java.security.interfaces.RSAPublicKey
import java.time.Duration
import java.time.Instant
import java.util.Base64
import java.util.Date
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertIs
import kotlin.test.assertTrue

class JwtTokensTest {
    private val start = Instant.parse("2026-01-02T03:04:05Z")
    private val clock = MutableClock(start)

    private fun tokens(block: JwtSettingsBuilder.() -> Unit = {}): JwtTokens {
        val settings = RestflowSettings.builder().apply {
            jwt {
                signingKey = TestKeys.SECRET
                block()
            }
        }.build()
        return JwtTokens(settings.jwt, clock)
    }

    private fun invalid(result: TokenVerification, message: String = "Token is invalid.") {
        assertIs<TokenVerification.Invalid>(result, "expected a refusal")
        assertEquals(message, result.message)
    }

    private fun b64(json: String) = Base64.getUrlEncoder().withoutPadding().encodeToString(json.toByteArray())

    @Test
    fun `an issued access token verifies and carries the registered claims`() {
        val t = tokens { issuer = "shop"; audience = "shop-api" }
        val issued = t.issue(TokenType.ACCESS, "42", mapOf("roles" to listOf("staff")))
        val result = t.verify(issued.token, TokenType.ACCESS)
        assertIs<TokenVerification.Valid>(result)
        assertEquals("42", result.token.userId)
        assertEquals(issued.jti, result.token.jti)
        assertEquals(listOf("staff"), result.token.stringListClaim("roles"))
        assertEquals(start.plus(Duration.ofMinutes(5)), issued.expiresAt)

        // an independent JOSE library agrees on signature and claims
        val parsed = SignedJWT.parse(issued.token)
        assertTrue(parsed.verify(MACVerifier(TestKeys.SECRET)))
        val claims = parsed.jwtClaimsSet
        assertEquals("access", claims.getStringClaim("token_type"))
        assertEquals("42", claims.getStringClaim("user_id"))
        assertEquals("shop", claims.issuer)
        assertEquals(listOf("shop-api"), claims.audience)
        assertEquals(issued.jti, claims.jwtid)
        assertEquals(Date.from(start), claims.issueTime)
        assertEquals(Date.from(start.plus(Duration.ofMinutes(5))), claims.expirationTime)
        assertEquals(JWSAlgorithm.HS256, parsed.header.algorithm)
    }

    @Test
    fun `RS256, PS256 and ES256 tokens verify here and in Nimbus`() {
        val rs = tokens { algorithm = JwtAlgorithm.RS256; signingKey = TestKeys.privatePem(TestKeys.rsa); verifyingKey = TestKeys.publicPem(TestKeys.rsa) }
        val rsToken = rs.issue(TokenType.ACCESS, "1").token
        assertIs<TokenVerification.Valid>(rs.verify(rsToken, TokenType.ACCESS))
        assertTrue(SignedJWT.parse(rsToken).verify(RSASSAVerifier(TestKeys.rsa.public as RSAPublicKey)))

        val ps = tokens { algorithm = JwtAlgorithm.PS256; signingKey = TestKeys.privatePem(TestKeys.rsa) }
        val psToken = ps.issue(TokenType.ACCESS, "1").token
        assertIs<TokenVerification.Valid>(ps.verify(psToken, TokenType.ACCESS))
        assertTrue(SignedJWT.parse(psToken).verify(RSASSAVerifier(TestKeys.rsa.public as RSAPublicKey)))
        assertEquals(JWSAlgorithm.PS256, SignedJWT.parse(psToken).header.algorithm)

        val es = tokens { algorithm = JwtAlgorithm.ES256; signingKey = TestKeys.privatePem(TestKeys.ecP256); verifyingKey = TestKeys.publicPem(TestKeys.ecP256) }
        val esToken = es.issue(TokenType.ACCESS, "1").token
        assertIs<TokenVerification.Valid>(es.verify(esToken, TokenType.ACCESS))
        assertTrue(SignedJWT.parse(esToken).verify(ECDSAVerifier(TestKeys.ecP256.public as ECPublicKey)))
    }

    @Test
    fun `R-01 alg none and a different algorithm are refused`() {
        val t = tokens()
        val claims = """{"token_type":"access","user_id":"1","jti":"x","exp":${start.epochSecond + 60}}"""
        invalid(t.verify(b64("""{"alg":"none","typ":"JWT"}""") + "." + b64(claims) + ".", TokenType.ACCESS))
        invalid(t.verify(b64("""{"alg":"None"}""") + "." + b64(claims) + ".", TokenType.ACCESS))
        val hs512 = SignedJWT(JWSHeader(JWSAlgorithm.HS512), JWTClaimsSet.parse(claims)).apply { sign(MACSigner(TestKeys.SECRET.repeat(2))) }
        invalid(t.verify(hs512.serialize(), TokenType.ACCESS))
    }

    @Test
    fun `R-02 an HS256 token signed with the RSA public key PEM is refused by an RS256 server`() {
        val publicPem = TestKeys.publicPem(TestKeys.rsa)
        val rs = tokens { algorithm = JwtAlgorithm.RS256; signingKey = TestKeys.privatePem(TestKeys.rsa); verifyingKey = publicPem }
        val claims = JWTClaimsSet.Builder().claim("token_type", "access").claim("user_id", "1").jwtID("x")
            .expirationTime(Date.from(start.plusSeconds(60))).build()
        val forged = SignedJWT(JWSHeader(JWSAlgorithm.HS256), claims).apply { sign(MACSigner(publicPem.toByteArray())) }
        invalid(rs.verify(forged.serialize(), TokenType.ACCESS))
    }

    @Test
    fun `R-02 keys that do not fit the algorithm fail at start-up`() {
        fun problem(block: JwtSettingsBuilder.() -> Unit) =
            assertFailsWith<RestflowConfigurationException> { tokens(block) }.problems.single()
        assertTrue(problem { algorithm = JwtAlgorithm.RS256; signingKey = TestKeys.privatePem(TestKeys.ecP256) }.startsWith("restflow.jwt.signing-key: is not a PKCS#8 RSA private key"))
        assertTrue(problem { algorithm = JwtAlgorithm.ES256; signingKey = TestKeys.privatePem(TestKeys.ecP384); verifyingKey = TestKeys.publicPem(TestKeys.ecP384) }.contains("ES256 needs a P-256 key, got a 384-bit curve"))
        assertTrue(problem { algorithm = JwtAlgorithm.ES256; signingKey = TestKeys.privatePem(TestKeys.rsa); verifyingKey = TestKeys.publicPem(TestKeys.rsa) }.contains("is not a PKCS#8 EC private key"))
        assertTrue(problem { signingKey = "short" }.startsWith("restflow.jwt.signing-key: HS256 needs a secret of at least 32 bytes"))
        assertTrue(problem { signingKey = null }.startsWith("restflow.jwt.signing-key: is required for HS256"))
        assertTrue(problem { algorithm = JwtAlgorithm.RS256; signingKey = "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----" }.contains("openssl pkcs8"))
        val otherRsa = java.security.KeyPairGenerator.getInstance("RSA").apply { initialize(2048) }.generateKeyPair()
        assertTrue(problem { algorithm = JwtAlgorithm.RS256; signingKey = TestKeys.privatePem(TestKeys.rsa); verifyingKey = TestKeys.publicPem(otherRsa) }.contains("does not belong to signing-key"))
    }

    @Test
    fun `R-03 an ECDSA signature of zeros with a tampered payload is refused`() {
        val es = tokens { algorithm = JwtAlgorithm.ES256; signingKey = TestKeys.privatePem(TestKeys.ecP256); verifyingKey = TestKeys.publicPem(TestKeys.ecP256) }
        val genuine = es.issue(TokenType.ACCESS, "1").token.split('.')
        val tampered = b64("""{"token_type":"access","user_id":"admin","jti":"x","exp":${start.epochSecond + 60}}""")
        val zeros = Base64.getUrlEncoder().withoutPadding().encodeToString(ByteArray(64))
        invalid(es.verify("${genuine[0]}.$tampered.$zeros", TokenType.ACCESS))
        invalid(es.verify("${genuine[0]}.${genuine[1]}.$zeros", TokenType.ACCESS))
    }

    @Test
    fun `R-04 jku x5u and jwk headers are ignored and the token is refused unless signed by the configured key`() {
        val rs = tokens { algorithm = JwtAlgorithm.RS256; signingKey = TestKeys.privatePem(TestKeys.rsa) }
        val attacker = java.security.KeyPairGenerator.getInstance("RSA").apply { initialize(2048) }.generateKeyPair()
        val claims = JWTClaimsSet.Builder().claim("token_type", "access").claim("user_id", "1").jwtID("x")
            .expirationTime(Date.from(start.plusSeconds(60))).build()
        val header = JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
            .jwkURL(URI("http://127.0.0.1:1/jwks.json")).x509CertURL(URI("http://127.0.0.1:1/cert.pem"))
            .jwk(com.nimbusds.jose.jwk.RSAKey.Builder(attacker.public as RSAPublicKey).build()).build()
        val forged = SignedJWT(header, claims).apply { sign(RSASSASigner(attacker.private)) }
        invalid(rs.verify(forged.serialize(), TokenType.ACCESS))
        // the same headers on a token signed by the configured key change nothing
        val genuine = SignedJWT(header, claims).apply { sign(RSASSASigner(TestKeys.rsa.private)) }
        assertIs<TokenVerification.Valid>(rs.verify(genuine.serialize(), TokenType.ACCESS))
    }

    @Test
    fun `R-05 expiry honours the leeway on both sides of the boundary`() {
        val t = tokens { leeway = Duration.ofSeconds(10) }
        val token = t.issue(TokenType.ACCESS, "1").token
        // RFC 7519: the current time must be strictly before exp (+ leeway)
        clock.now = start.plus(Duration.ofMinutes(5)).plusSeconds(9)
        assertIs<TokenVerification.Valid>(t.verify(token, TokenType.ACCESS))
        clock.now = start.plus(Duration.ofMinutes(5)).plusSeconds(10)
        invalid(t.verify(token, TokenType.ACCESS), "Token has expired.")

        val strict = tokens()
        val second = strict.issue(TokenType.ACCESS, "1").token
        clock.now = clock.now.plus(Duration.ofMinutes(5)).minusSeconds(1)
        val mid = strict.verify(second, TokenType.ACCESS)
        assertIs<TokenVerification.Valid>(mid, "$mid")
        clock.now = clock.now.plusSeconds(2)
        invalid(strict.verify(second, TokenType.ACCESS), "Token has expired.")
    }

    @Test
    fun `R-05 not-before in the future is refused until the leeway allows it`() {
        val t = tokens { leeway = Duration.ofSeconds(5) }
        val claims = JWTClaimsSet.Builder().claim("token_type", "access").claim("user_id", "1").jwtID("x")
            .notBeforeTime(Date.from(start.plusSeconds(30))).expirationTime(Date.from(start.plusSeconds(300))).build()
        val token = SignedJWT(JWSHeader(JWSAlgorithm.HS256), claims).apply { sign(MACSigner(TestKeys.SECRET)) }.serialize()
        invalid(t.verify(token, TokenType.ACCESS))
        clock.now = start.plusSeconds(25)
        assertIs<TokenVerification.Valid>(t.verify(token, TokenType.ACCESS))
    }

    @Test
    fun `R-05 an access token without exp is refused`() {
        val t = tokens()
        val claims = JWTClaimsSet.Builder().claim("token_type", "access").claim("user_id", "1").jwtID("x").build()
        val token = SignedJWT(JWSHeader(JWSAlgorithm.HS256), claims).apply { sign(MACSigner(TestKeys.SECRET)) }.serialize()
        invalid(t.verify(token, TokenType.ACCESS))
    }

    @Test
    fun `R-06 a wrong issuer or audience with the same key is refused`() {
        val server = tokens { issuer = "shop"; audience = "shop-api" }
        val otherIssuer = tokens { issuer = "evil"; audience = "shop-api" }.issue(TokenType.ACCESS, "1").token
        val otherAudience = tokens { issuer = "shop"; audience = "billing" }.issue(TokenType.ACCESS, "1").token
        val none = tokens().issue(TokenType.ACCESS, "1").token
        invalid(server.verify(otherIssuer, TokenType.ACCESS))
        invalid(server.verify(otherAudience, TokenType.ACCESS))
        invalid(server.verify(none, TokenType.ACCESS))
    }

    @Test
    fun `R-07 a refresh token is not an access token and vice versa`() {
        val t = tokens()
        val refresh = t.issue(TokenType.REFRESH, "1")
        invalid(t.verify(refresh.token, TokenType.ACCESS), "Wrong token type, expected 'access'.")
        assertIs<TokenVerification.Valid>(t.verify(refresh.token, TokenType.REFRESH))
        assertEquals(start.plus(Duration.ofDays(1)), refresh.expiresAt)
        invalid(t.verify(t.issue(TokenType.ACCESS, "1").token, TokenType.REFRESH), "Wrong token type, expected 'refresh'.")
    }

    @Test
    fun `garbage never throws`() {
        val t = tokens()
        listOf("", ".", "..", "a.b.c", "Bearer x", "x".repeat(20_000), "\u0000.\u0000.\u0000", b64("{") + "." + b64("[]") + ".x")
            .forEach { invalid(t.verify(it, TokenType.ACCESS)) }
    }

    @Test
    fun `a verify-only instance verifies but cannot issue`() {
        val signer = tokens { algorithm = JwtAlgorithm.RS256; signingKey = TestKeys.privatePem(TestKeys.rsa) }
        val verifyOnly = tokens { algorithm = JwtAlgorithm.RS256; signingKey = null; verifyingKey = TestKeys.publicPem(TestKeys.rsa) }
        assertEquals(false, verifyOnly.canIssue)
        assertIs<TokenVerification.Valid>(verifyOnly.verify(signer.issue(TokenType.ACCESS, "7").token, TokenType.ACCESS))
        assertFailsWith<IllegalStateException> { verifyOnly.issue(TokenType.ACCESS, "7") }
    }

    @Test
    fun `registered claims cannot be overridden`() {
        assertFailsWith<IllegalArgumentException> { tokens().issue(TokenType.ACCESS, "1", mapOf("exp" to 1)) }
        assertFailsWith<IllegalArgumentException> { tokens().issue(TokenType.ACCESS, "1", mapOf("user_id" to "2")) }
    }
}
