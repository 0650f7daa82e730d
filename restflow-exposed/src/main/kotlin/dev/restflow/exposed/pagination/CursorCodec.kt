package dev.restflow.exposed.pagination

import org.jetbrains.exposed.v1.core.dao.id.EntityID
import java.math.BigDecimal
import java.security.MessageDigest
import java.util.Base64
import java.util.UUID
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec

/** A keyset position and direction, as carried by an opaque, HMAC-SHA256-signed cursor. */
internal class CursorPosition(val values: List<Any?>, val reverse: Boolean)

/**
 * Encodes positions as `base64url(payload).base64url(hmac)`. The payload lists the boundary row's ordering values,
 * each tagged with its type (`i:`, `l:`, `d:`, `s:`, `t:` java instant, `k:` kotlin instant, `u:` UUID, `b:`), and
 * the direction. Anything that does not verify or parse is [PaginationException.InvalidCursor].
 */
internal class CursorCodec(secret: ByteArray) {
    private val key = SecretKeySpec(secret.copyOf(), "HmacSHA256")

    init {
        require(secret.size >= 32) { "The cursor secret must have at least 32 bytes" }
    }

    fun encode(position: CursorPosition): String {
        val payload = (if (position.reverse) "r" else "f") + position.values.joinToString("") { "\u0001" + tag(it) }
        val bytes = payload.toByteArray(Charsets.UTF_8)
        return B64.encodeToString(bytes) + "." + B64.encodeToString(mac(bytes))
    }

    fun decode(cursor: String, arity: Int): CursorPosition {
        if (cursor.length > MAX_LENGTH) throw PaginationException.InvalidCursor()
        val dot = cursor.indexOf('.')
        if (dot <= 0) throw PaginationException.InvalidCursor()
        val bytes = try {
            val payload = B64D.decode(cursor.substring(0, dot))
            val signature = B64D.decode(cursor.substring(dot + 1))
            if (!MessageDigest.isEqual(signature, mac(payload))) throw PaginationException.InvalidCursor()
            payload
        } catch (_: IllegalArgumentException) {
            throw PaginationException.InvalidCursor()
        }
        val text = String(bytes, Charsets.UTF_8)
        val parts = text.split('\u0001')
        if (parts.size != arity + 1 || parts[0] !in setOf("r", "f")) throw PaginationException.InvalidCursor()
        val values = parts.drop(1).map { untag(it) }
        return CursorPosition(values, parts[0] == "r")
    }

    private fun mac(bytes: ByteArray): ByteArray = Mac.getInstance("HmacSHA256").apply { init(key) }.doFinal(bytes)

    private fun tag(value: Any?): String = when (val v = if (value is EntityID<*>) value.value else value) {
        null -> "n:"
        is Int -> "i:$v"
        is Long -> "l:$v"
        is Short -> "h:$v"
        is BigDecimal -> "d:${v.toPlainString()}"
        is String -> "s:$v"
        is java.time.Instant -> "t:$v"
        is kotlin.time.Instant -> "k:$v"
        is UUID -> "u:$v"
        is Boolean -> "b:$v"
        is Double -> "f:$v"
        else -> throw IllegalStateException("Values of type ${v::class.qualifiedName} cannot be keyset cursor positions")
    }

    private fun untag(text: String): Any? {
        if (text.length < 2 || text[1] != ':') throw PaginationException.InvalidCursor()
        val body = text.substring(2)
        return try {
            when (text[0]) {
                'n' -> null
                'i' -> body.toInt()
                'l' -> body.toLong()
                'h' -> body.toShort()
                'd' -> BigDecimal(body)
                's' -> body
                't' -> java.time.Instant.parse(body)
                'k' -> kotlin.time.Instant.parse(body)
                'u' -> UUID.fromString(body)
                'b' -> body.toBooleanStrict()
                'f' -> body.toDouble()
                else -> throw PaginationException.InvalidCursor()
            }
        } catch (e: PaginationException) {
            throw e
        } catch (_: RuntimeException) {
            throw PaginationException.InvalidCursor()
        }
    }

    private companion object {
        const val MAX_LENGTH = 4_096
        val B64: Base64.Encoder = Base64.getUrlEncoder().withoutPadding()
        val B64D: Base64.Decoder = Base64.getUrlDecoder()
    }
}
