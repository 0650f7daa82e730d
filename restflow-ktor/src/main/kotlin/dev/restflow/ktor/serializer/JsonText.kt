package dev.restflow.ktor.serializer

/**
 * Writes JSON text straight into a [StringBuilder], character for character what kotlinx-serialization's
 * `JsonElement.toString()` produces, for the hot paths that render rows without building element trees (lists,
 * streams).
 */
internal object JsonText {
    private const val HEX = "0123456789abcdef"

    /** Appends [value] as a JSON string literal: quotes, `\"`, `\\`, the short escapes and `\u00XX` for other controls. */
    fun quote(value: String, out: StringBuilder) {
        out.append('"')
        var start = 0
        for (i in value.indices) {
            val c = value[i]
            if (c >= ' ' && c != '"' && c != '\\') continue
            out.append(value, start, i)
            when (c) {
                '"' -> out.append("\\\"")
                '\\' -> out.append("\\\\")
                '\n' -> out.append("\\n")
                '\r' -> out.append("\\r")
                '\t' -> out.append("\\t")
                '\b' -> out.append("\\b")
                '\u000C' -> out.append("\\f")
                else -> out.append("\\u00").append(HEX[c.code shr 4]).append(HEX[c.code and 0xF])
            }
            start = i + 1
        }
        out.append(value, start, value.length).append('"')
    }
}
