package dev.restflow.ktor.view

import dev.restflow.RestflowDsl
import dev.restflow.exposed.pagination.Paginator
import dev.restflow.ktor.permission.Permission
import dev.restflow.ktor.throttle.Throttle
import dev.restflow.ktor.cache.ResponseCacheConfig
import dev.restflow.ktor.serializer.RequestSerializer
import dev.restflow.ktor.serializer.ResponseSerializer
import io.ktor.http.ContentType
import io.ktor.server.application.ApplicationCall
import org.jetbrains.exposed.v1.jdbc.Query

/**
 * The options a viewset and each of its actions share. On an action they override the viewset's; resolution order
 * for serializers is: action request/response → viewset request/response → action serializer → viewset serializer.
 */
@RestflowDsl
public abstract class ViewOptions internal constructor() {
    internal var serializer: ResponseSerializer? = null
    internal var requestSerializer: RequestSerializer? = null
    internal var responseSerializer: ResponseSerializer? = null
    internal var query: (suspend (ApplicationCall) -> Query)? = null
    internal var guards: MutableList<Guard>? = null
    internal var responseCache: (ResponseCacheConfig.() -> Unit)? = null
    internal var paginationSet: Boolean = false
    internal var paginator: Paginator? = null
    internal var consumes: List<ContentType>? = null
    internal var produces: List<ContentType>? = null

    /**
     * The request body types the action(s) accept, in order of preference (default `application/json`); a body of
     * another type is 415 `unsupported_media_type`. The standard actions parse JSON, so there only JSON types
     * (`application/json`, `application/merge-patch+json`, …) may be declared; an extra action reads any type itself.
     */
    public fun consumes(vararg types: ContentType) {
        require(types.isNotEmpty()) { "consumes(...) needs at least one content type" }
        consumes = types.map { it.withoutParameters() }
    }

    /**
     * The response types the action(s) render, in order of preference (default `application/json`): the `Accept`
     * header chooses one (see [ExtraActionContext.responseType]); when it accepts none of them the answer is 406
     * `not_acceptable`, before any guard runs. The standard actions render JSON, so there only JSON types may be
     * declared.
     */
    public fun produces(vararg types: ContentType) {
        require(types.isNotEmpty()) { "produces(...) needs at least one content type" }
        produces = types.map { it.withoutParameters() }
    }

    /**
     * Serializes responses with [serializer] and, when it is also a [RequestSerializer] (table-derived serializers
     * are both), validates request bodies with it.
     */
    public fun serializer(serializer: ResponseSerializer) {
        this.serializer = serializer
    }

    /** Validates request bodies with [serializer] (takes precedence over [serializer]). */
    public fun requestSerializer(serializer: RequestSerializer) {
        requestSerializer = serializer
    }

    /** Renders responses with [serializer] (takes precedence over [serializer]). */
    public fun responseSerializer(serializer: ResponseSerializer) {
        responseSerializer = serializer
    }

    /**
     * The base query, run inside the transaction for every action before filters: scope rows to the caller here
     * (`query { call -> Products.selectAll().where { Products.owner eq call.userId() } }`). Rows outside it are not
     * found: retrieve, update and destroy answer 404.
     */
    public fun query(query: suspend (call: ApplicationCall) -> Query) {
        this.query = query
    }

    /**
     * Adds checks run before the action, in order (throttles and permissions are guards). On an action this
     * replaces the viewset's guards for that action.
     */
    public fun guards(vararg guards: Guard) {
        customGuards += guards
        rebuildGuards()
    }

    /**
     * Caches the `GET`/`HEAD` responses of the action (list, retrieve, a `GET` extra action) with Restflow's
     * [dev.restflow.ktor.cache.ResponseCache]: `responseCache { ttl = Duration.ofMinutes(5); partition { it.parameters["id"] } }`.
     * Guards run before the cache is read, so a cached answer never skips a throttle or permission.
     */
    public fun responseCache(configure: ResponseCacheConfig.() -> Unit) {
        responseCache = configure
    }

    /**
     * Paginates the list with [paginator] (see `Paginators`). Without this, lists use page numbers with
     * `restflow.pagination.page-size` and `max-page-size`.
     */
    public fun pagination(paginator: Paginator) {
        this.paginator = paginator
        paginationSet = true
    }

    /** Answers the whole list as a JSON array, unpaginated. */
    public fun noPagination() {
        paginator = null
        paginationSet = true
    }

    /**
     * Requires [permissions] (all of them) for the action(s): checked after the throttles, with object permissions
     * on the row of retrieve, update, destroy and detail actions. Not authenticated and a challenge available → 401,
     * otherwise 403. On an action this replaces the viewset's guards for that action.
     */
    public fun permissions(vararg permissions: Permission) {
        permissionGuard = PermissionGuard(permissions.toList())
        rebuildGuards()
    }

    /** Throttles the action(s) with [throttles] (all evaluated; the longest wait answers 429 with `Retry-After`). */
    public fun throttles(vararg throttles: Throttle) {
        throttleGuard = ThrottleGuard(throttles.toList())
        rebuildGuards()
    }

    private var permissionGuard: Guard? = null
    private var throttleGuard: Guard? = null
    private val customGuards = mutableListOf<Guard>()

    /** Throttles first, then permissions (the data flow of DESIGN.md), then custom guards. */
    private fun rebuildGuards() {
        guards = (listOfNotNull(throttleGuard, permissionGuard) + customGuards).toMutableList()
    }
}
