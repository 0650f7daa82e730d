package dev.restflow.cache.key

/**
 * Percent-encoding of every character with a meaning in the key layout, so that no two different part lists render
 * the same key: `("a:b", "c")` and `("a", "b:c")` become `a%3Ab&c` and `a&b%3Ac`.
 */
internal object KeyEscaping {
    /** `:` segments, `=` `~` `*` `.` part kinds, `&` parts, `,` multi-values, `#` `@` `|` `+` markers, `%` itself. */
    const val RESERVED: String = "%:=&,.|#@~*+ "

    fun escape(text: String): String {
        if (text.none { it in RESERVED || it.code < 0x20 }) return text
        val out = StringBuilder(text.length + 8)
        for (c in text) {
            if (c in RESERVED || c.code < 0x20) {
                out.append('%').append("0123456789ABCDEF"[c.code shr 4 and 0xf]).append("0123456789ABCDEF"[c.code and 0xf])
            } else {
                out.append(c)
            }
        }
        return out.toString()
    }
}
