package dev.restflow.ktor.view

import dev.restflow.ktor.filter.filter
import dev.restflow.ktor.serializer.ValidatedData
import dev.restflow.ktor.serializer.WriteMode
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.ApplicationCall
import io.ktor.server.response.header
import io.ktor.server.response.respond
import kotlinx.serialization.json.JsonElement
import org.jetbrains.exposed.v1.core.ResultRow
import org.jetbrains.exposed.v1.core.SortOrder
import org.jetbrains.exposed.v1.jdbc.Query
import org.jetbrains.exposed.v1.jdbc.andWhere
import org.jetbrains.exposed.v1.jdbc.deleteWhere
import org.jetbrains.exposed.v1.jdbc.insert
import org.jetbrains.exposed.v1.jdbc.selectAll
import org.jetbrains.exposed.v1.jdbc.update

/** The standard actions of a viewset, run against its compiled [ViewSetContext]. */
internal class ViewHandlers(private val vs: ViewSetContext) {

    suspend fun list(call: ApplicationCall) {
        val action = vs.resolved.getValue(ViewAction.LIST)
        action.guard(call)
        val paginator = if (action.paginationSet) action.paginator else Pages.defaultPaginator(call)
        val body = vs.transaction {
            Pages.list(call, listQuery(call, action), paginator, action.response, vs.postFetches)
        }
        call.respondJsonText(body)
    }

    /** The action's query with the filter set applied and a deterministic order (the lookup column last). */
    internal suspend fun listQuery(call: ApplicationCall, action: ResolvedAction): Query {
        var query = action.query(call)
        vs.filterSet?.let { query = call.filter(query, it) }
        if (query.orderByExpressions.none { it.first == vs.lookupColumn }) query = query.orderBy(vs.lookupColumn to SortOrder.ASC)
        return query
    }

    suspend fun retrieve(call: ApplicationCall) {
        val action = vs.resolved.getValue(ViewAction.RETRIEVE)
        action.guard(call)
        val body = vs.transaction {
            val row = vs.findRow(call, action)
            action.guardObject(call, row)
            serialize(action, row)
        }
        call.respondJsonElement(body)
    }

    suspend fun create(call: ApplicationCall) {
        val action = vs.resolved.getValue(ViewAction.CREATE)
        action.guard(call)
        val request = requireNotNull(action.request) { "The create action of ${vs.name} has no request serializer" }
        MediaTypes.checkBody(call, action.consumes)
        val body = call.receiveJsonElement()
        val (row, json) = vs.transaction {
            val data = request.deserialize(body, WriteMode.CREATE, null)
            vs.hooks.beforeCreate.forEach { it(HookContext(call, data, null, null)) }
            val entities = vs.entities
            val entity = entities?.create(data)
            val row = if (entity != null) {
                val id = entity.id
                action.query(call).andWhere { vs.idOp(id) }.limit(1).firstOrNull() ?: vs.table.selectAll().where { vs.idOp(id) }.first()
            } else {
                val statement = vs.table.insert { data.applyTo(it) }
                val key = statement[vs.lookupColumn] ?: error("The insert into ${vs.table.tableName} returned no ${vs.lookupColumn.name}")
                reread(call, action, key) ?: statement.resultedValues?.firstOrNull()
                    ?: error("The inserted row of ${vs.table.tableName} could not be read back")
            }
            vs.hooks.afterCreate.forEach { it(HookContext(call, data, null, row, entity)) }
            row to serialize(action, row)
        }
        call.response.header(HttpHeaders.Location, locationOf(call, row))
        call.respondJsonElement(json, HttpStatusCode.Created)
    }

    suspend fun update(call: ApplicationCall, partial: Boolean) {
        val kind = if (partial) ViewAction.PARTIAL_UPDATE else ViewAction.UPDATE
        val action = vs.resolved.getValue(kind)
        action.guard(call)
        val request = requireNotNull(action.request) { "The update action of ${vs.name} has no request serializer" }
        MediaTypes.checkBody(call, action.consumes)
        val body = call.receiveJsonElement()
        val json = vs.transaction {
            val instance = vs.findRow(call, action)
            action.guardObject(call, instance)
            val data = request.deserialize(body, if (partial) WriteMode.PARTIAL else WriteMode.UPDATE, instance)
            val entity = vs.entities?.entityOf(instance)
            vs.hooks.beforeUpdate.forEach { it(HookContext(call, data, instance, null, entity)) }
            val key = instance[vs.lookupColumn] ?: throw ViewSetContext.notFound()
            if (entity != null) {
                vs.entities.update(entity, data)
            } else if (data.columns.isNotEmpty()) {
                vs.table.update({ vs.lookupOp(key) }) { data.applyTo(it) }
            }
            val newKey = if (vs.lookupColumn in data) data[vs.lookupColumn] ?: key else key
            val row = reread(call, action, newKey)
                ?: vs.table.selectAll().where { vs.lookupOp(newKey) }.first()
            vs.hooks.afterUpdate.forEach { it(HookContext(call, data, instance, row, entity)) }
            serialize(action, row)
        }
        call.respondJsonElement(json)
    }

    suspend fun destroy(call: ApplicationCall) {
        val action = vs.resolved.getValue(ViewAction.DESTROY)
        action.guard(call)
        vs.transaction {
            val instance = vs.findRow(call, action)
            action.guardObject(call, instance)
            val entity = vs.entities?.entityOf(instance)
            val context = HookContext(call, ValidatedData(emptyMap()), instance, null, entity)
            vs.hooks.beforeDestroy.forEach { it(context) }
            val key = instance[vs.lookupColumn] ?: throw ViewSetContext.notFound()
            if (entity != null) vs.entities.delete(entity) else vs.table.deleteWhere { vs.lookupOp(key) }
            vs.hooks.afterDestroy.forEach { it(context) }
        }
        call.respond(HttpStatusCode.NoContent)
    }

    suspend fun extra(call: ApplicationCall, spec: ExtraActionSpec, action: ResolvedAction) {
        action.guard(call)
        MediaTypes.checkBody(call, action.consumes)
        val row: ResultRow? = if (spec.detail) {
            vs.transaction { vs.findRow(call, action).also { action.guardObject(call, it) } }
        } else {
            null
        }
        spec.options.handler!!(ExtraActionContext(call, row, vs))
    }

    /** One row with its PostFetch values attached. Inside a transaction. */
    private fun serialize(action: ResolvedAction, row: ResultRow): JsonElement =
        action.response.serialize(row, Pages.attach(listOf(row), vs.postFetches).single())

    /** The row with lookup value [key] as the action's query shows it, if the query still includes it. */
    private suspend fun reread(call: ApplicationCall, action: ResolvedAction, key: Any): ResultRow? =
        action.query(call).andWhere { vs.lookupOp(key) }.limit(1).firstOrNull()

    /** The absolute URL of the created row: the collection URL plus its lookup value. */
    private fun locationOf(call: ApplicationCall, row: ResultRow): String {
        val key = row[vs.lookupColumn].let { if (it is org.jetbrains.exposed.v1.core.dao.id.EntityID<*>) it.value else it }
        val segment = java.net.URLEncoder.encode(key.toString(), Charsets.UTF_8).replace("+", "%20")
        return "${Pages.absoluteUrl(call).trimEnd('/')}/$segment"
    }
}
