package dev.restflow.cache.key

/** One named part of a key and how it renders; see [CacheKey] for the syntax. */
internal class KeyPart<in Args>(val name: String, private val render: (Args) -> String) {
    fun render(args: Args): String = render.invoke(args)

    companion object {
        fun text(value: Any?): String? = when (value) {
            null -> null
            is Enum<*> -> value.name
            else -> value.toString()
        }

        /** `name=value`, or `name~` for null, so null never equals any string. */
        fun single(name: String, value: Any?): String {
            val n = KeyEscaping.escape(name)
            val t = text(value) ?: return "$n~"
            return n + "=" + KeyEscaping.escape(t)
        }

        /** `name*` when empty, else `name*=` and the sorted values joined by `,`, `~` standing for null. */
        fun multi(name: String, values: Collection<Any?>): String {
            val n = KeyEscaping.escape(name) + "*"
            if (values.isEmpty()) return n
            return n + "=" + values.map { v -> text(v)?.let(KeyEscaping::escape) ?: "~" }.sorted().joinToString(",")
        }

        fun params(name: String, params: Map<String, List<String>>, only: Set<String>?): String {
            val n = KeyEscaping.escape(name)
            val selected = params.filterKeys { only == null || it in only }.toSortedMap()
            if (selected.isEmpty()) return n
            return selected.entries.joinToString("&") { (k, vs) ->
                val p = n + "." + KeyEscaping.escape(k)
                if (vs.isEmpty()) p else p + "=" + vs.map(KeyEscaping::escape).sorted().joinToString(",")
            }
        }
    }
}
