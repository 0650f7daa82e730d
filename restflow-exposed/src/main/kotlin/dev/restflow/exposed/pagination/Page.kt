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

/**
 * One page of [results] with the links to its neighbours. Immutable.
 *
 * [countEstimated] is `true` when [count] is the PostgreSQL planner's estimate (an opt-in of the page-number
 * paginator for huge tables) rather than an exact COUNT; renderers may expose it, the DRF body has no key for it.
 */
public class Page<T> @JvmOverloads constructor(
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
    /** Whether [count] is an estimate instead of an exact count. */
    public val countEstimated: Boolean = false,
) {
    /** The same page with every item transformed. */
    public fun <R> map(transform: (T) -> R): Page<R> = Page(results.map(transform), count, next, previous, shape, countEstimated)

    override fun toString(): String =
        "Page(${results.size} results, count=$count${if (countEstimated) " (estimated)" else ""}, next=$next, previous=$previous)"
}
