package dev.restflow.exposed.pagination

/** The JSON shape a page is rendered in; each paginator has one. */
public enum class PageShape {
    /** `{"count","next","previous","results"}` (page number, limit/offset). */
    COUNTED,

    /** `{"results","next","previous"}` (fast page number: no count). */
    FAST,

    /** `{"next","previous","results"}` (cursor). */
    CURSOR,
}

/** One page of [results] with the links to its neighbours. Immutable. */
public class Page<T>(
    /** The items of the page, in order. */
    public val results: List<T>,
    /** The number of matching items, or `null` when the paginator does not count. */
    public val count: Long?,
    /** The absolute URL of the next page, or `null` on the last page. */
    public val next: String?,
    /** The absolute URL of the previous page, or `null` on the first page. */
    public val previous: String?,
    /** How the page is rendered. */
    public val shape: PageShape,
) {
    /** The same page with every item transformed. */
    public fun <R> map(transform: (T) -> R): Page<R> = Page(results.map(transform), count, next, previous, shape)

    override fun toString(): String = "Page(${results.size} results, count=$count, next=$next, previous=$previous)"
}
