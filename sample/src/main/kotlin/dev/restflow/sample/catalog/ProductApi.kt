package dev.restflow.sample.catalog

import dev.restflow.exposed.filter.Lookup
import dev.restflow.exposed.filter.array
import dev.restflow.exposed.filter.comparison
import dev.restflow.exposed.filter.filterSet
import dev.restflow.exposed.filter.range
import dev.restflow.ktor.serializer.serializer
import dev.restflow.ktor.view.DatabaseAccess
import dev.restflow.ktor.view.viewSet
import dev.restflow.exposed.stream.streamRows
import dev.restflow.ktor.filter.parseFilters
import dev.restflow.ktor.stream.respondJsonArray
import dev.restflow.ktor.stream.respondNdjson
import dev.restflow.exposed.pagination.Paginators
import dev.restflow.exposed.invalidation.InvalidationRule
import dev.restflow.exposed.invalidation.invalidateOn
import dev.restflow.ktor.cache.ResponseCacheConfig
import io.ktor.http.HttpHeaders
import dev.restflow.exposed.postfetch.postFetch
import dev.restflow.ktor.view.listView
import dev.restflow.sample.reviews.Reviews
import dev.restflow.ktor.permission.IsAdminUser
import dev.restflow.ktor.permission.IsAuthenticated
import dev.restflow.ktor.permission.IsAuthenticatedOrReadOnly
import dev.restflow.ktor.permission.IsOwner
import dev.restflow.ktor.view.ViewAction
import dev.restflow.sample.users.ShopAuth.userId
import io.ktor.server.routing.Route
import org.jetbrains.exposed.v1.core.SortOrder
import io.ktor.server.routing.get
import org.jetbrains.exposed.v1.jdbc.Database
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.core.LikePattern
import org.jetbrains.exposed.v1.core.like
import org.jetbrains.exposed.v1.core.lowerCase
import org.jetbrains.exposed.v1.core.or
import java.time.Clock

/** `/api/products` and its list variants, as `SAMPLE_API.md` describes them. */
object ProductApi {
    val serializer = serializer(Products) {
        readOnly(Products.owner, Products.createdAt, Products.inStock)
        optional(Products.description) { "" }
        allowBlank(Products.description)
        optional(Products.tags) { emptyList() }
        validate(Products.name) { length(1..200) }
        validate(Products.price) { min(0); scale(2) }
        validate(Products.stock) { min(0) }
    }

    val filters = filterSet(Products) {
        field(Products.name, "name") { lookups(Lookup.EXACT, Lookup.ICONTAINS, Lookup.ISTARTSWITH) }
        field(Products.price, "price") { basic(); comparison(); range() }
        field(Products.stock, "stock") { basic(); comparison() }
        field(Products.inStock, "in_stock") { lookups(Lookup.EXACT) }
        field(Products.category, "category") { lookups(Lookup.EXACT, Lookup.IN) }
        related(Products.category, "category") { field(Categories.slug, "slug") { lookups(Lookup.EXACT) } }
        field(Products.owner, "owner") { lookups(Lookup.EXACT) }
        field(Products.tags, "tags") { lookups(Lookup.ARRAY_CONTAINS) }
        field(Products.createdAt, "created_at") { comparison(); lookups(Lookup.YEAR, Lookup.MONTH, Lookup.DATE) }
        method("q") { value ->
            val pattern = LikePattern("%" + escapeLike(value.lowercase()) + "%", '\\')
            (Products.name.lowerCase() like pattern) or (Products.description.lowerCase() like pattern)
        }
        ordering {
            key("id", Products.id)
            key("name", Products.name)
            key("price", Products.price)
            key("stock", Products.stock)
            key("created_at", Products.createdAt)
            defaultOrder("id")
        }
    }

    /** `latest_review`: the newest review of each product, `{id,rating,comment}` or `null`, one query per page. */
    val latestReview = postFetch(
        Reviews, attachAs = "latest_review", join = Reviews.product to Products.id,
        values = listOf(Reviews.id, Reviews.rating, Reviews.comment),
        orderBy = listOf(Reviews.createdAt to SortOrder.DESC, Reviews.id to SortOrder.DESC), limit = 1,
    )

    /**
     * Retrieve responses live in the cache namespace `products`, one partition per product id. Any committed change to
     * a product (through the API, the DAO or bulk SQL) or to its reviews (`latest_review`) evicts its partition.
     */
    const val CACHE_NAMESPACE: String = "products"

    /**
     * List responses (`/api/products`, `/fast`, `/cursor`) live in the cache namespace `product-lists`, keyed by path,
     * query string, `Accept`, `Host` (the `next`/`previous` links are absolute) and the caller (the response cache keys
     * authenticated calls per user). Any committed change to products, reviews (`latest_review`) or categories (the
     * `category__slug` filter) drops the whole namespace: a change can move a row into or out of any page.
     */
    const val LIST_CACHE_NAMESPACE: String = "product-lists"

    /** A product's own row changed: its partition. New products have no cached retrieve yet. */
    val productChanges = invalidateOn(Products) {
        namespace(CACHE_NAMESPACE)
        partition(Products.id)
        onCreate = false
        batch = true
    }

    /** A review was written or removed: the partition of the product it belongs to (its `latest_review`). */
    val reviewChanges = invalidateOn(Reviews) {
        namespace(CACHE_NAMESPACE)
        partition(Reviews.product)
        batch = true
    }

    /** Any product, review or category change: every cached list page. */
    val listChanges: List<InvalidationRule> = listOf(Products, Reviews, Categories).map { table ->
        invalidateOn(table) {
            namespace(LIST_CACHE_NAMESPACE)
            batch = true
        }
    }

    /** Every rule of the product caches. */
    val cacheRules: List<InvalidationRule> get() = listOf(productChanges, reviewChanges) + listChanges

    /**
     * The response cache of the list views: see [LIST_CACHE_NAMESPACE]. Restflow keys entries by the URL as addressed
     * (scheme, host, port), so the absolute `next`/`previous` links of one host are never served to another.
     */
    private val listCache: ResponseCacheConfig.() -> Unit = {
        namespace = LIST_CACHE_NAMESPACE
    }

    /** `/api/products/fast` (no COUNT) and `/api/products/cursor` (keyset on `-created_at,-id`). */
    fun Route.productListVariants(database: DatabaseAccess, cursorSecret: ByteArray) {
        listView("/api/products/fast", Products) {
            database(database)
            serializer(serializer)
            filters(filters)
            postFetch(latestReview)
            pagination(Paginators.fastPageNumber(pageSize = 20, maxPageSize = 100))
            responseCache(listCache)
        }
        listView("/api/products/cursor", Products) {
            database(database)
            serializer(serializer)
            filters(filters)
            postFetch(latestReview)
            pagination(Paginators.cursor(listOf(Products.createdAt to SortOrder.DESC, Products.id to SortOrder.DESC), cursorSecret))
            responseCache(listCache)
        }
    }

    fun Route.productRoutes(database: DatabaseAccess, clock: Clock) {
        viewSet("/api/products", Products) {
            database(database)
            serializer(serializer)
            filters(filters)
            postFetch(latestReview)
            permissions(IsAuthenticatedOrReadOnly)
            action(ViewAction.UPDATE) { permissions(IsAuthenticated, IsOwner(Products.owner) or IsAdminUser) }
            action(ViewAction.PARTIAL_UPDATE) { permissions(IsAuthenticated, IsOwner(Products.owner) or IsAdminUser) }
            action(ViewAction.DESTROY) { permissions(IsAdminUser) }
            action(ViewAction.LIST) { responseCache(listCache) }
            action(ViewAction.RETRIEVE) {
                responseCache {
                    namespace = CACHE_NAMESPACE
                    staleFor = java.time.Duration.ofSeconds(30)
                    partition { it.parameters["id"] }
                }
            }
            beforeCreate { ctx ->
                ctx.data.setId(Products.owner, ctx.call.userId())
                ctx.data[Products.createdAt] = clock.instant()
                ctx.data[Products.inStock] = (ctx.data[Products.stock] ?: 0) > 0
            }
            beforeUpdate { ctx ->
                ctx.data[Products.stock]?.let { ctx.data[Products.inStock] = it > 0 }
            }
        }
    }

    /** `/api/products/export` (a JSON array) and `/api/products/export.ndjson`: every matching product, streamed. */
    fun Route.productExportRoutes(database: Database) {
        get("/api/products/export") {
            val filter = call.parseFilters(filters)
            call.respondJsonArray(streamRows(database, EXPORT_FETCH_SIZE) { filter.applyTo(Products.selectAll()) }, serializer)
        }
        get("/api/products/export.ndjson") {
            val filter = call.parseFilters(filters)
            call.respondNdjson(streamRows(database, EXPORT_FETCH_SIZE) { filter.applyTo(Products.selectAll()) }, serializer)
        }
    }

    private const val EXPORT_FETCH_SIZE = 1_000

    /** `%`, `_` and `\` in a user's value match literally. */
    private fun escapeLike(value: String): String = buildString {
        for (c in value) {
            if (c == '%' || c == '_' || c == '\\') append('\\')
            append(c)
        }
    }
}
