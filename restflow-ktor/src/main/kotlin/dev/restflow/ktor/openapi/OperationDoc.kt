package dev.restflow.ktor.openapi

import dev.restflow.ktor.restflowKey
import dev.restflow.RestflowDsl
import io.ktor.server.routing.Route
import io.ktor.util.AttributeKey
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject

/**
 * What a user adds to the generated operations of a route (`get("/me") { … }.openApi { summary("The caller") }`) or of
 * every route below it, or to one operation by id ([OpenApiConfig.operation]). Values set here replace the generated
 * ones; responses and parameters are added (a response replaces the generated one of the same status).
 */
@RestflowDsl
public class OperationDoc internal constructor() {
    internal var summary: String? = null
    internal var description: String? = null
    internal var operationId: String? = null
    internal var tags: List<String>? = null
    internal var deprecated: Boolean = false
    internal var hidden: Boolean = false
    internal val responses = LinkedHashMap<String, JsonObject>()
    internal val parameters = mutableListOf<JsonObject>()
    internal var requestBody: JsonObject? = null
    internal val extensions = LinkedHashMap<String, JsonElement>()
    internal val schemas = LinkedHashMap<String, JsonObject>()

    /** The one-line summary. */
    public fun summary(summary: String): OperationDoc = apply { this.summary = summary }

    /** The longer description (CommonMark). */
    public fun description(description: String): OperationDoc = apply { this.description = description }

    /** The `operationId` (unique in the document; meant for one operation). */
    public fun operationId(operationId: String): OperationDoc = apply { this.operationId = operationId }

    /** The tags grouping the operation(s) (default: the first path segment after `/api`). */
    public fun tags(vararg tags: String): OperationDoc = apply { this.tags = tags.toList() }

    /** Marks the operation(s) deprecated. */
    public fun deprecated(): OperationDoc = apply { deprecated = true }

    /** Leaves the operation(s) out of the document (the routes still serve). */
    public fun hidden(): OperationDoc = apply { hidden = true }

    /** A response with [status] and [description], with a JSON body of [schema] when given. */
    @JvmOverloads
    public fun response(status: Int, description: String, schema: JsonObject? = null): OperationDoc = apply {
        responses[status.toString()] = Js.obj(
            "description" to description,
            "content" to schema?.let { Js.obj("application/json" to Js.obj("schema" to it)) },
        )
    }

    /**
     * Error responses the operation(s) can return, each referring to the shared response of that status (the
     * error envelope): `errors(404, 409)`. Statuses: 400, 401, 403, 404, 405, 406, 409, 413, 415, 429, 500, 503.
     */
    public fun errors(vararg statuses: Int): OperationDoc = apply {
        for (status in statuses) {
            require(status in ErrorResponses.BY_STATUS) { "No shared error response for $status; use response(status, description, schema)" }
            responses[status.toString()] = ErrorResponses.ref(status)
        }
    }

    /** A query parameter [name] of [schema]. */
    @JvmOverloads
    public fun queryParameter(name: String, description: String, schema: JsonObject, required: Boolean = false): OperationDoc = apply {
        parameters += Js.obj("name" to name, "in" to "query", "description" to description, "required" to required, "schema" to schema)
    }

    /** A header parameter [name] of [schema]. */
    @JvmOverloads
    public fun headerParameter(name: String, description: String, schema: JsonObject, required: Boolean = false): OperationDoc = apply {
        parameters += Js.obj("name" to name, "in" to "header", "description" to description, "required" to required, "schema" to schema)
    }

    /** The request body: JSON of [schema]. */
    @JvmOverloads
    public fun requestBody(schema: JsonObject, required: Boolean = true): OperationDoc = apply {
        requestBody = Js.obj("required" to required, "content" to Js.obj("application/json" to Js.obj("schema" to schema)))
    }

    /** Adds [schema] to `components/schemas` as [name]; refer to it with [schemaRef]. */
    public fun schema(name: String, schema: JsonObject): OperationDoc = apply { schemas[name] = schema }

    /** A specification extension (`x-…`) or any other operation field, as raw JSON. */
    public fun extra(name: String, value: JsonElement): OperationDoc = apply { extensions[name] = value }

    internal companion object {
        val KEY: AttributeKey<MutableList<OperationDoc>> = restflowKey("restflow.openapi.operationDoc")
    }
}

/**
 * Adds [block] to the OpenAPI operations of this route and every route below it (the generated document is built from
 * the routing tree, so this needs no spec written by hand). Returns this route.
 */
public fun Route.openApi(block: OperationDoc.() -> Unit): Route {
    attributes.computeIfAbsent(OperationDoc.KEY) { mutableListOf() } += OperationDoc().apply(block)
    return this
}

/** Leaves this route and every route below it out of the OpenAPI document. */
public fun Route.hideFromOpenApi(): Route = openApi { hidden() }

/** A reference to the component schema [name] (`{"$ref":"#/components/schemas/name"}`). */
public fun schemaRef(name: String): JsonObject = Js.ref("schemas", name)
