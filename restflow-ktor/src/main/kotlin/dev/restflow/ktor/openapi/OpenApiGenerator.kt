@file:OptIn(InternalAPI::class)

package dev.restflow.ktor.openapi

import dev.restflow.exposed.filter.FilterParameter
import dev.restflow.exposed.pagination.PageShape
import dev.restflow.exposed.pagination.Paginator
import dev.restflow.ktor.auth.RestflowBasicAuthenticationProvider
import dev.restflow.ktor.auth.RestflowJwtAuthenticationProvider
import dev.restflow.ktor.auth.RestflowTokenAuthenticationProvider
import dev.restflow.ktor.permission.Permissions
import dev.restflow.ktor.restflow
import dev.restflow.ktor.throttle.Throttles
import dev.restflow.ktor.view.ExtraActionSpec
import dev.restflow.ktor.view.PermissionGuard
import dev.restflow.ktor.view.ResolvedAction
import dev.restflow.ktor.view.ThrottleGuard
import dev.restflow.ktor.view.ViewAction
import dev.restflow.ktor.view.ViewSetContext
import dev.restflow.ktor.view.ViewSetRouteMark
import io.ktor.http.ContentType
import io.ktor.http.HttpMethod
import io.ktor.server.application.Application
import io.ktor.server.application.pluginOrNull
import io.ktor.server.auth.AuthenticateProvidersKey
import io.ktor.server.auth.AuthenticateProvidersRegistration
import io.ktor.server.auth.Authentication
import io.ktor.server.auth.AuthenticationProvider
import io.ktor.server.auth.AuthenticationRouteSelector
import io.ktor.server.auth.AuthenticationStrategy
import io.ktor.server.auth.BasicAuthenticationProvider
import io.ktor.server.auth.BearerAuthenticationProvider
import io.ktor.server.auth.allProviders
import io.ktor.server.routing.HttpMethodRouteSelector
import io.ktor.server.routing.PathSegmentConstantRouteSelector
import io.ktor.server.routing.PathSegmentOptionalParameterRouteSelector
import io.ktor.server.routing.PathSegmentParameterRouteSelector
import io.ktor.server.routing.PathSegmentTailcardRouteSelector
import io.ktor.server.routing.PathSegmentWildcardRouteSelector
import io.ktor.server.routing.RoutingNode
import io.ktor.server.routing.RoutingRoot
import io.ktor.utils.io.InternalAPI
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * Builds the OpenAPI 3.1 document of an application from its routing tree: viewsets and generic views (marked by
 * [ViewSetRouteMark]) with their filters, ordering, pagination, serializers, guards and authentication; plain routes
 * with what [OperationDoc]s add. Runs once per document; not thread-safe (use one instance per build).
 */
internal class OpenApiGenerator(private val application: Application, private val config: OpenApiConfig) {
    private val schemas = SchemaRegistry()
    private val paths = LinkedHashMap<String, LinkedHashMap<String, JsonObject>>()
    private val usedSchemes = LinkedHashMap<String, JsonObject>()
    private val extraSchemas = LinkedHashMap<String, JsonObject>()
    private val operationIds = HashSet<String>()

    private class Ctx(
        val segments: List<String> = emptyList(),
        val auth: AuthenticateProvidersRegistration? = null,
        val docs: List<OperationDoc> = emptyList(),
        val permissions: Boolean = false,
        val throttles: Boolean = false,
    ) {
        fun copy(
            segments: List<String> = this.segments, auth: AuthenticateProvidersRegistration? = this.auth,
            docs: List<OperationDoc> = this.docs, permissions: Boolean = this.permissions,
            throttles: Boolean = this.throttles,
        ) = Ctx(segments, auth, docs, permissions, throttles)

        val path: String get() = "/" + segments.joinToString("/")
    }

    fun generate(): JsonObject {
        application.pluginOrNull(RoutingRoot)?.let { walk(it, Ctx()) }
        val schemaComponents = LinkedHashMap<String, JsonElement>()
        schemaComponents.putAll(schemas.schemas)
        schemaComponents.putAll(extraSchemas)
        schemaComponents[ErrorResponses.SCHEMA] = ErrorResponses.schema()
        return Js.obj(
            "openapi" to "3.1.0",
            "info" to Js.obj("title" to config.title, "version" to config.version, "description" to config.description),
            "servers" to config.servers.takeIf { it.isNotEmpty() }?.map { (url, description) -> Js.obj("url" to url, "description" to description) },
            "paths" to JsonObject(paths.toSortedMap().mapValues { (_, ops) -> JsonObject(ops) }),
            "components" to Js.obj(
                "schemas" to JsonObject(schemaComponents.toSortedMap()),
                "responses" to ErrorResponses.responses(),
                "securitySchemes" to usedSchemes.takeIf { it.isNotEmpty() }?.let { JsonObject(it.toSortedMap()) },
            ),
        )
    }

    // ---- the routing tree -----------------------------------------------------------------------------------------

    private fun walk(node: RoutingNode, parent: Ctx) {
        var c = parent
        when (val s = node.selector) {
            is PathSegmentConstantRouteSelector -> c = c.copy(segments = c.segments + s.value)
            is PathSegmentParameterRouteSelector -> c = c.copy(segments = c.segments + "${s.prefix.orEmpty()}{${s.name}}${s.suffix.orEmpty()}")
            is PathSegmentOptionalParameterRouteSelector -> c = c.copy(segments = c.segments + "{${s.name}}")
            is PathSegmentWildcardRouteSelector -> c = c.copy(segments = c.segments + "{wildcard}")
            is PathSegmentTailcardRouteSelector -> return // static files, Swagger UI assets
            is AuthenticationRouteSelector -> c = c.copy(
                auth = node.attributes.getOrNull(AuthenticateProvidersKey)
                    ?: AuthenticateProvidersRegistration(s.names, AuthenticationStrategy.FirstSuccessful),
            )
            else -> Unit
        }
        node.attributes.getOrNull(OperationDoc.KEY)?.let { c = c.copy(docs = c.docs + it) }
        if (c.docs.any { it.hidden }) return
        if (node.pluginOrNull(Permissions) != null) c = c.copy(permissions = true)
        if (node.pluginOrNull(Throttles) != null) c = c.copy(throttles = true)
        node.attributes.getOrNull(ViewSetRouteMark.KEY)?.let { mark -> viewSet(mark, c) }
        val selector = node.selector
        if (!servedByViewSet(node) && selector is HttpMethodRouteSelector && node.hasHandler() &&
            selector.method != HttpMethod.Head && selector.method != HttpMethod.Options
        ) {
            plain(selector.method, c)
        }
        for (child in node.children) walk(child, c)
    }

    /**
     * Whether [node] is a method route a viewset mounted (on its collection or detail route, or on one of its extra
     * actions): those are documented from the viewset. Other routes below a viewset's path (`/products/export`) are not.
     */
    private fun servedByViewSet(node: RoutingNode): Boolean {
        val parent = node.parent ?: return false
        if (parent.attributes.contains(ViewSetRouteMark.KEY)) return true
        val mark = parent.parent?.attributes?.getOrNull(ViewSetRouteMark.KEY) ?: return false
        val name = (parent.selector as? PathSegmentConstantRouteSelector)?.value ?: return false
        return mark.viewSet.extra.any { (spec, _) -> spec.detail == mark.detail && spec.name == name }
    }

    // ---- viewsets -------------------------------------------------------------------------------------------------

    private fun viewSet(mark: ViewSetRouteMark, c: Ctx) {
        val vs = mark.viewSet
        val base = idBase(if (mark.detail) c.segments.dropLast(1) else c.segments)
        for (action in ViewAction.entries) {
            if (action !in vs.actions || action.detail != mark.detail) continue
            val resolved = vs.resolved.getValue(action)
            val op = standardOperation(vs, action, resolved, c, base)
            put(c.path, action.method, op, c.docs)
        }
        for ((spec, resolved) in vs.extra) {
            if (spec.detail != mark.detail) continue
            val extraCtx = c.copy(segments = c.segments + spec.name)
            put(extraCtx.path, spec.method, extraOperation(vs, spec, resolved, extraCtx, base), c.docs)
        }
    }

    private fun standardOperation(vs: ViewSetContext, action: ViewAction, resolved: ResolvedAction, c: Ctx, base: String): LinkedHashMap<String, JsonElement> {
        val op = LinkedHashMap<String, JsonElement>()
        op["tags"] = Js.of(listOf(tag(c.segments)))
        op["summary"] = JsonPrimitive(summary(action, vs.name))
        vs.description?.let { op["description"] = JsonPrimitive(it) }
        op["operationId"] = JsonPrimitive("${base}_${action.name.lowercase()}")
        val parameters = pathParameters(c, vs).toMutableList()
        val statuses = sortedSetOf(406, 500)
        var paginator: Paginator? = null
        if (action == ViewAction.LIST) {
            vs.filterSet?.let { set ->
                parameters += set.parameters.map(::filterParameter)
                statuses += 400
            }
            paginator = if (resolved.paginationSet) resolved.paginator else defaultPaginator()
            paginator?.let { p ->
                parameters += paginationParameters(p)
                if (p.shape != PageShape.FAST || p.javaClass.simpleName.startsWith("Fast")) statuses += 404
                if (p.shape == PageShape.CURSOR || p.javaClass.simpleName.startsWith("LimitOffset")) statuses += 400
            }
        }
        if (parameters.isNotEmpty()) op["parameters"] = JsonArray(parameters)
        val request = resolved.request
        if (action in BODY_ACTIONS && request != null) {
            val schema = schemas.request(request, partial = action == ViewAction.PARTIAL_UPDATE)
            op["requestBody"] = Js.obj("required" to true, "content" to content(resolved.consumes, schema))
            statuses += listOf(400, 409, 413, 415)
        }
        if (action.detail) statuses += 404
        if (action == ViewAction.DESTROY) statuses += 409
        guardStatuses(resolved, c, statuses)
        val item = schemas.response(resolved.response, vs.postFetches)
        val success: Pair<String, JsonObject> = when (action) {
            ViewAction.LIST -> {
                val body = paginator?.let { schemas.page(it.shape, item) } ?: Js.obj("type" to "array", "items" to item)
                "200" to Js.obj("description" to "The ${vs.name} matching the filters.", "content" to content(resolved.produces, body))
            }
            ViewAction.CREATE -> "201" to Js.obj(
                "description" to "Created.",
                "headers" to Js.obj("Location" to Js.obj("description" to "The URL of the new resource.", "schema" to Js.obj("type" to "string", "format" to "uri"))),
                "content" to content(resolved.produces, item),
            )
            ViewAction.DESTROY -> "204" to Js.obj("description" to "Deleted; no response body.")
            else -> "200" to Js.obj("description" to "The ${vs.name} resource.", "content" to content(resolved.produces, item))
        }
        op["responses"] = responses(success, statuses)
        security(c)?.let { op["security"] = it }
        return op
    }

    private fun extraOperation(vs: ViewSetContext, spec: ExtraActionSpec, resolved: ResolvedAction, c: Ctx, base: String): LinkedHashMap<String, JsonElement> {
        val op = LinkedHashMap<String, JsonElement>()
        op["tags"] = Js.of(listOf(tag(c.segments)))
        op["summary"] = JsonPrimitive("${vs.name}: ${spec.name.replace('-', ' ').replace('_', ' ')}")
        op["operationId"] = JsonPrimitive("${base}_${idToken(spec.name)}")
        val parameters = pathParameters(c, vs)
        if (parameters.isNotEmpty()) op["parameters"] = JsonArray(parameters)
        val statuses = sortedSetOf(406, 500)
        if (spec.detail) statuses += 404
        guardStatuses(resolved, c, statuses)
        op["responses"] = responses(
            "200" to Js.obj("description" to "Successful response.", "content" to content(resolved.produces, Js.obj())),
            statuses,
        )
        security(c)?.let { op["security"] = it }
        return op
    }

    private fun guardStatuses(resolved: ResolvedAction, c: Ctx, statuses: MutableSet<Int>) {
        if (c.auth != null) statuses += 401
        if (c.permissions || resolved.guards.any { it !is ThrottleGuard }) {
            statuses += 403
            if (c.auth != null || resolved.guards.any { it is PermissionGuard }) statuses += 401
        }
        if (c.throttles || resolved.guards.any { it is ThrottleGuard }) statuses += 429
    }

    private fun pathParameters(c: Ctx, vs: ViewSetContext?): List<JsonObject> =
        c.segments.flatMap { seg -> PARAM.findAll(seg).map { it.groupValues[1] }.toList() }.map { name ->
            val schema = if (vs != null && name == vs.lookupParam) schemas.columnSchema(vs.lookupColumn, nullable = false) else Js.obj("type" to "string")
            Js.obj(
                "name" to name, "in" to "path", "required" to true,
                "description" to if (vs != null && name == vs.lookupParam) "The ${vs.lookupColumn.name} of the resource." else null,
                "schema" to schema,
            )
        }

    /** A filter set's parameter with drf-restflow's description; lists as `style: form, explode: false`. */
    private fun filterParameter(p: FilterParameter): JsonObject {
        val schema = if (p.isArray) {
            Js.obj("type" to "array", "items" to Js.obj("type" to p.itemType, "format" to p.itemFormat, "enum" to p.enumValues))
        } else {
            Js.obj("type" to p.type, "format" to p.format, "enum" to p.enumValues)
        }
        return Js.obj(
            "name" to p.name, "in" to "query", "description" to p.description, "required" to p.required,
            "style" to p.style, "explode" to p.explode, "schema" to schema,
        )
    }

    private fun paginationParameters(p: Paginator): List<JsonObject> {
        val names = p.queryParameterNames.toList()
        val kind = p.javaClass.simpleName
        val max = intField(p, "maxPageSize") ?: intField(p, "maxLimit")
        val default = intField(p, "pageSize") ?: intField(p, "defaultLimit")
        fun size(name: String, text: String) = query(name, text, Js.obj("type" to "integer", "minimum" to 1, "maximum" to max, "default" to default))
        return when {
            kind.startsWith("LimitOffset") -> listOfNotNull(
                names.getOrNull(0)?.let { size(it, "Number of results to return per page.") },
                names.getOrNull(1)?.let { query(it, "The initial index from which to return the results.", Js.obj("type" to "integer", "minimum" to 0)) },
            )
            p.shape == PageShape.CURSOR -> listOfNotNull(
                names.getOrNull(0)?.let { query(it, "The pagination cursor value.", Js.obj("type" to "string")) },
                names.getOrNull(1)?.let { size(it, "Number of results to return per page.") },
            )
            else -> listOfNotNull(
                names.getOrNull(0)?.let {
                    val page = if (p.shape == PageShape.COUNTED) {
                        Js.obj("anyOf" to listOf(Js.obj("type" to "integer", "minimum" to 1), Js.obj("type" to "string", "enum" to listOf("last"))))
                    } else {
                        Js.obj("type" to "integer", "minimum" to 1)
                    }
                    query(it, "A page number within the paginated result set.", page)
                },
                names.getOrNull(1)?.let { size(it, "Number of results to return per page.") },
            )
        }
    }

    private fun query(name: String, description: String, schema: JsonObject) =
        Js.obj("name" to name, "in" to "query", "description" to description, "required" to false, "schema" to schema)

    private fun intField(target: Any, name: String): Int? = runCatching {
        target.javaClass.getDeclaredField(name).apply { isAccessible = true }.get(target) as? Int
    }.getOrNull()

    private fun defaultPaginator(): Paginator {
        val settings = runCatching { application.restflow.settings.pagination }.getOrNull()
        return dev.restflow.exposed.pagination.Paginators.pageNumber(settings?.pageSize ?: 20, settings?.maxPageSize ?: 100)
    }

    // ---- plain routes ---------------------------------------------------------------------------------------------

    private fun plain(method: HttpMethod, c: Ctx) {
        val op = LinkedHashMap<String, JsonElement>()
        op["tags"] = Js.of(listOf(tag(c.segments)))
        op["summary"] = JsonPrimitive("${method.value} ${c.path}")
        op["operationId"] = JsonPrimitive("${idBase(c.segments)}_${method.value.lowercase()}")
        val parameters = pathParameters(c, null)
        if (parameters.isNotEmpty()) op["parameters"] = JsonArray(parameters)
        val statuses = sortedSetOf(500)
        if (c.auth != null) statuses += 401
        if (c.permissions) statuses += listOf(401, 403)
        if (c.throttles) statuses += 429
        op["responses"] = responses("200" to Js.obj("description" to "Successful response."), statuses)
        security(c)?.let { op["security"] = it }
        put(c.path, method, op, c.docs)
    }

    // ---- assembling -----------------------------------------------------------------------------------------------

    private fun responses(success: Pair<String, JsonObject>, statuses: Set<Int>): JsonObject {
        val out = LinkedHashMap<String, JsonElement>()
        out[success.first] = success.second
        for (status in statuses.sorted()) out[status.toString()] = ErrorResponses.ref(status)
        return JsonObject(out)
    }

    private fun content(types: List<ContentType>, schema: JsonObject): JsonObject =
        JsonObject(types.associate { it.toString() to Js.obj("schema" to schema) })

    /** Applies [docs] (route docs, then those of the config by operationId) and adds the operation. */
    private fun put(path: String, method: HttpMethod, generated: LinkedHashMap<String, JsonElement>, docs: List<OperationDoc>) {
        val op = LinkedHashMap(generated)
        val generatedId = (op["operationId"] as JsonPrimitive).content
        val all = docs + config.operations[generatedId].orEmpty()
        for (doc in all) apply(doc, op)
        val explicitId = all.mapNotNull { it.operationId }.lastOrNull()
        if (explicitId == null) op["operationId"] = JsonPrimitive(unique((op["operationId"] as JsonPrimitive).content))
        else operationIds += explicitId
        config.operations[explicitId]?.takeIf { explicitId != generatedId }?.forEach { apply(it, op) }
        if (all.any { it.hidden } || config.operations[explicitId]?.any { it.hidden } == true) return
        paths.getOrPut(path) { LinkedHashMap() }[method.value.lowercase()] = JsonObject(op)
    }

    private fun apply(doc: OperationDoc, op: LinkedHashMap<String, JsonElement>) {
        doc.summary?.let { op["summary"] = JsonPrimitive(it) }
        doc.description?.let { op["description"] = JsonPrimitive(it) }
        doc.operationId?.let { op["operationId"] = JsonPrimitive(it) }
        doc.tags?.let { op["tags"] = Js.of(it) }
        if (doc.deprecated) op["deprecated"] = JsonPrimitive(true)
        if (doc.parameters.isNotEmpty()) {
            val existing = (op["parameters"] as? JsonArray).orEmpty()
            val replaced = doc.parameters.map { it["name"] to it["in"] }.toSet()
            op["parameters"] = JsonArray(existing.filter { (it as JsonObject)["name"] to it["in"] !in replaced } + doc.parameters)
        }
        doc.requestBody?.let { op["requestBody"] = it }
        if (doc.responses.isNotEmpty()) {
            val merged = LinkedHashMap((op["responses"] as? JsonObject).orEmpty())
            if (doc.responses.keys.any { it.startsWith("2") }) merged.keys.removeAll { it.startsWith("2") && it !in doc.responses }
            merged.putAll(doc.responses)
            op["responses"] = JsonObject(merged.toSortedMap())
        }
        extraSchemas.putAll(doc.schemas)
        op.putAll(doc.extensions)
    }

    private fun unique(id: String): String {
        var candidate = id
        var i = 2
        while (!operationIds.add(candidate)) candidate = "${id}_${i++}"
        return candidate
    }

    // ---- security -------------------------------------------------------------------------------------------------

    private val providers: Map<String?, AuthenticationProvider> by lazy {
        var found: Map<String?, AuthenticationProvider> = emptyMap()
        application.pluginOrNull(Authentication)?.configure { found = allProviders() }
        found
    }

    private fun scheme(providerName: String?): Pair<String, SecurityScheme>? {
        val name = providerName ?: AuthenticationRouteSelector.DEFAULT_NAME
        config.securitySchemes[name]?.let { return name to it }
        val provider = providers[providerName] ?: providers[name]
        val scheme = when (provider) {
            is RestflowJwtAuthenticationProvider -> SecurityScheme.bearerJwt()
            is RestflowBasicAuthenticationProvider, is BasicAuthenticationProvider -> SecurityScheme.basic()
            is RestflowTokenAuthenticationProvider -> SecurityScheme.token()
            is BearerAuthenticationProvider -> SecurityScheme.bearerJwt()
            null -> null
            else -> if (provider.javaClass.name == "io.ktor.server.auth.jwt.JWTAuthenticationProvider") SecurityScheme.bearerJwt() else null
        } ?: return null
        return name to scheme
    }

    /** The operation's security requirements: any of the route's providers, or none when authentication is optional. */
    private fun security(c: Ctx): JsonArray? {
        val auth = c.auth ?: return null
        val requirements = auth.names.mapNotNull { scheme(it) }.map { (name, scheme) ->
            usedSchemes[name] = scheme.json
            Js.obj(name to emptyList<String>())
        }
        if (requirements.isEmpty()) return null
        return JsonArray(requirements + if (auth.strategy == AuthenticationStrategy.Optional) listOf(Js.obj()) else emptyList())
    }

    // ---- names ----------------------------------------------------------------------------------------------------

    private fun tag(segments: List<String>): String =
        segments.filterNot { it.startsWith("{") || it == "api" || VERSION.matches(it) }.firstOrNull() ?: segments.firstOrNull() ?: "root"

    private fun idBase(segments: List<String>): String =
        segments.joinToString("_") { idToken(it.removePrefix("{").removeSuffix("}")) }.ifEmpty { "root" }

    private fun idToken(s: String): String = s.lowercase().replace(Regex("[^a-z0-9]+"), "_").trim('_')

    private fun summary(action: ViewAction, name: String): String = when (action) {
        ViewAction.LIST -> "List $name"
        ViewAction.CREATE -> "Create $name"
        ViewAction.RETRIEVE -> "Retrieve $name"
        ViewAction.UPDATE -> "Update $name"
        ViewAction.PARTIAL_UPDATE -> "Partially update $name"
        ViewAction.DESTROY -> "Delete $name"
    }

    private companion object {
        val BODY_ACTIONS = setOf(ViewAction.CREATE, ViewAction.UPDATE, ViewAction.PARTIAL_UPDATE)
        val PARAM = Regex("\\{([^}]+)}")
        val VERSION = Regex("v[0-9]+")
    }
}
