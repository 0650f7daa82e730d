package dev.restflow.ktor.view

import dev.restflow.ktor.cache.ResponseCache
import dev.restflow.ktor.error.ApiException
import dev.restflow.ktor.error.ErrorCodes
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpMethod
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.ApplicationCall
import io.ktor.server.request.httpMethod
import io.ktor.server.response.header
import io.ktor.server.application.install
import io.ktor.server.routing.Route
import io.ktor.server.routing.method
import io.ktor.server.routing.route
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.dao.EntityClass

/**
 * Declares a viewset over [table] at [path]:
 *
 * - `GET path` list, `POST path` create, `GET path/{id}` retrieve, `PUT`/`PATCH path/{id}` update,
 *   `DELETE path/{id}` destroy — or the subset chosen with `readOnly()` / `actions(…)`;
 * - `HEAD` wherever `GET` is served, `OPTIONS` everywhere (200 with `Allow` and a description);
 * - extra actions at `path/{name}` and `path/{id}/{name}`;
 * - a method the path does not serve: guards (authentication, permissions) run first, then 405 with `Allow`;
 * - an id that does not parse or names no row in the action's query: 404 `not_found` "Resource not found.".
 *
 * Wrap it in Ktor's `authenticate(…) { }` to authenticate callers. Returns the compiled viewset.
 */
public fun Route.viewSet(path: String, table: Table, block: ViewSetBuilder.() -> Unit = {}): ViewSetContext {
    val builder = ViewSetBuilder(table).apply(block)
    val context = ViewSetContext(builder, path)
    ViewSetRouting(context).install(this, path)
    return context
}

/**
 * Declares a viewset over the DAO [entityClass] (`viewSet("/products", Product) { … }`): the same actions, options
 * and queries as over its table, but create, update and destroy go through the entity (`new`, property writes,
 * `flush`, `delete`) so Exposed's `EntityHook` and the entity cache see them, and write hooks receive the entity
 * ([HookContext.entity]). Returns the compiled viewset.
 */
public fun Route.viewSet(path: String, entityClass: EntityClass<*, *>, block: ViewSetBuilder.() -> Unit = {}): ViewSetContext {
    val builder = ViewSetBuilder(entityClass.table).apply(block)
    builder.entities = EntityWrites(entityClass)
    val context = ViewSetContext(builder, path)
    ViewSetRouting(context).install(this, path)
    return context
}

/** `viewSet<Products>("/products") { … }`: a viewset over the table object [T]. */
public inline fun <reified T : Table> Route.viewSet(path: String, noinline block: ViewSetBuilder.() -> Unit = {}): ViewSetContext {
    val table = requireNotNull(T::class.objectInstance) { "${T::class.simpleName} is not an object: use viewSet(path, table) { }" }
    return viewSet(path, table, block)
}

/** Mounts a compiled viewset's routes. */
internal class ViewSetRouting(private val vs: ViewSetContext) {
    private val baseGuards = vs.baseGuards
    private val handlers = ViewHandlers(vs)

    private val collectionMethods = buildList {
        if (ViewAction.LIST in vs.actions) addAll(listOf(HttpMethod.Get, HttpMethod.Head))
        if (ViewAction.CREATE in vs.actions) add(HttpMethod.Post)
        add(HttpMethod.Options)
    }
    private val detailMethods = buildList {
        if (ViewAction.RETRIEVE in vs.actions) addAll(listOf(HttpMethod.Get, HttpMethod.Head))
        if (ViewAction.UPDATE in vs.actions) add(HttpMethod.Put)
        if (ViewAction.PARTIAL_UPDATE in vs.actions) add(HttpMethod.Patch)
        if (ViewAction.DESTROY in vs.actions) add(HttpMethod.Delete)
        add(HttpMethod.Options)
    }

    /** The viewset: collection routes at [path], detail routes at `path/{id}`. */
    fun install(parent: Route, path: String) {
        parent.route(path) {
            collection(this)
            route("{${vs.lookupParam}}") { detail(this) }
        }
    }

    /** The collection actions (list, create, collection extra actions) on [route]. */
    fun collection(route: Route): Unit = with(route) {
        attributes.put(ViewSetRouteMark.KEY, ViewSetRouteMark(vs, detail = false))
        if (ViewAction.LIST in vs.actions) {
            val list = vs.resolved.getValue(ViewAction.LIST)
            serve(HttpMethod.Get, list) { handlers.list(it) }
            serve(HttpMethod.Head, list) { handlers.list(it) }
        }
        if (ViewAction.CREATE in vs.actions) serve(HttpMethod.Post) { handlers.create(it) }
        serve(HttpMethod.Options) { options(it, collectionMethods, detail = false, ViewAction.CREATE) }
        for ((spec, action) in vs.extra.filter { !it.first.detail }) extraRoute(this, spec, action)
        fallback(collectionMethods)
    }

    /** The detail actions (retrieve, update, destroy, detail extra actions) on [route], whose path holds the lookup parameter. */
    fun detail(route: Route): Unit = with(route) {
        attributes.put(ViewSetRouteMark.KEY, ViewSetRouteMark(vs, detail = true))
        if (ViewAction.RETRIEVE in vs.actions) {
            val retrieve = vs.resolved.getValue(ViewAction.RETRIEVE)
            serve(HttpMethod.Get, retrieve) { handlers.retrieve(it) }
            serve(HttpMethod.Head, retrieve) { handlers.retrieve(it) }
        }
        if (ViewAction.UPDATE in vs.actions) serve(HttpMethod.Put) { handlers.update(it, partial = false) }
        if (ViewAction.PARTIAL_UPDATE in vs.actions) serve(HttpMethod.Patch) { handlers.update(it, partial = true) }
        if (ViewAction.DESTROY in vs.actions) serve(HttpMethod.Delete) { handlers.destroy(it) }
        serve(HttpMethod.Options) { options(it, detailMethods, detail = true, ViewAction.UPDATE) }
        for ((spec, action) in vs.extra.filter { it.first.detail }) extraRoute(this, spec, action)
        fallback(detailMethods)
    }

    /** Serves [method]; with [cached] set and a response cache configured, guards and the cache run before the handler. */
    private fun Route.serve(method: HttpMethod, cached: ResolvedAction? = null, handler: suspend (ApplicationCall) -> Unit) {
        method(method) {
            val cache = cached?.responseCache
            if (cached != null && cache != null) {
                install(ViewGuards) { action = cached }
                install(ResponseCache, cache)
            }
            handle { handler(call) }
        }
    }

    private fun extraRoute(parent: Route, spec: ExtraActionSpec, action: ResolvedAction) {
        val methods = buildList {
            add(spec.method)
            if (spec.method == HttpMethod.Get) add(HttpMethod.Head)
            add(HttpMethod.Options)
        }
        parent.route(spec.name) {
            serve(spec.method, action.takeIf { spec.method == HttpMethod.Get }) { handlers.extra(it, spec, action) }
            if (spec.method == HttpMethod.Get) serve(HttpMethod.Head, action) { handlers.extra(it, spec, action) }
            if (spec.method != HttpMethod.Options) serve(HttpMethod.Options) { options(it, methods, spec.detail, media = listOf(action)) }
            fallback(methods)
        }
    }

    /** Any other method: guards first (DRF checks authentication and permissions before the method), then 405. */
    private fun Route.fallback(allowed: List<HttpMethod>) {
        handle {
            if (call.request.httpMethod !in allowed) {
                for (guard in baseGuards) guard.check(call)
                throw ApiException(
                    HttpStatusCode.MethodNotAllowed, ErrorCodes.METHOD_NOT_ALLOWED,
                    "Method \"${call.request.httpMethod.value}\" not allowed.",
                    headers = mapOf(HttpHeaders.Allow to listOf(allowed.joinToString(", ") { it.value })),
                )
            }
        }
    }

    /**
     * DRF's `SimpleMetadata`: 200 with `Allow`, the name, description, media types and, under `actions`, the fields
     * of `POST` (collection, the create action) or `PUT` (detail, the update action) — each only when the caller
     * passes that action's permissions (and, for `PUT`, may see the row), as DRF checks them on a cloned request.
     */
    private suspend fun options(
        call: ApplicationCall, allowed: List<HttpMethod>, detail: Boolean, described: ViewAction? = null, media: List<ResolvedAction>? = null,
    ) {
        for (guard in baseGuards) guard.check(call)
        call.response.header(HttpHeaders.Allow, allowed.joinToString(", ") { it.value })
        val body = LinkedHashMap<String, JsonElement>()
        body["name"] = JsonPrimitive(if (detail) "${vs.name} Instance" else "${vs.name} List")
        vs.description?.let { body["description"] = JsonPrimitive(it) }
        val served = media ?: vs.actions.filter { it.detail == detail }.map { vs.resolved.getValue(it) }.ifEmpty { vs.resolved.values.take(1) }
        body["renders"] = JsonArray(served.flatMap { it.produces }.distinct().map { JsonPrimitive(it.toString()) })
        body["parses"] = JsonArray(served.flatMap { it.consumes }.distinct().map { JsonPrimitive(it.toString()) })
        if (described != null && described in vs.actions) {
            describe(call, described)?.let { body["actions"] = JsonObject(mapOf(described.method.value to it)) }
        }
        call.respondJsonElement(JsonObject(body))
    }

    /** The fields of [action]'s request serializer, or `null` when the caller may not use the action. */
    private suspend fun describe(call: ApplicationCall, action: ViewAction): JsonObject? {
        val resolved = vs.resolved.getValue(action)
        val serializer = resolved.request ?: return null
        val probe = MethodProbeCall(call, action.method)
        try {
            // throttles already counted this call; DRF checks only permissions here
            for (guard in resolved.guards) if (guard !is ThrottleGuard) guard.check(probe)
            if (action.detail) vs.transaction { resolved.guardObject(probe, vs.findRow(probe, resolved)) }
        } catch (_: ApiException) {
            return null
        }
        return FieldMetadata.describe(serializer)
    }
}
