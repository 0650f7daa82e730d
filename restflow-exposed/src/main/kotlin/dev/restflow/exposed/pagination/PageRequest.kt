package dev.restflow.exposed.pagination

import java.net.URLEncoder

/**
 * A request for one page, without any web framework: every query parameter (multi-valued, in the order the client
 * sent them) and the absolute URL of the request without its query (e.g. `https://shop.example/api/products`), from
 * which the `next` and `previous` links are built.
 */
public class PageRequest(
    /** The query parameters, in request order. */
    public val queryParameters: Map<String, List<String>>,
    /** The absolute URL of the request without its query string. */
    public val baseUrl: String,
) {
    /** The last value of [name] (a repeated scalar takes the last value), or `null`. */
    public fun parameter(name: String): String? = queryParameters[name]?.lastOrNull()

    /**
     * The request's URL with [changes] applied: a parameter set to a value replaces every value of it (in place, or
     * appended when absent), one set to `null` is removed; every other parameter is kept as it was.
     */
    public fun urlWith(changes: Map<String, String?>): String {
        val parts = ArrayList<String>()
        val done = HashSet<String>()
        for ((name, values) in queryParameters) {
            if (name in changes) {
                val replacement = changes[name]
                if (replacement != null && done.add(name)) parts += encode(name) + "=" + encode(replacement)
            } else {
                values.forEach { parts += encode(name) + "=" + encode(it) }
            }
        }
        for ((name, value) in changes) {
            if (value != null && name !in queryParameters) parts += encode(name) + "=" + encode(value)
        }
        return if (parts.isEmpty()) baseUrl else baseUrl + "?" + parts.joinToString("&")
    }

    private fun encode(text: String): String = URLEncoder.encode(text, Charsets.UTF_8)

    override fun toString(): String = "PageRequest($baseUrl, ${queryParameters.keys})"
}
