package dev.restflow.ktor.view

import dev.restflow.exposed.filter.FilterSet
import dev.restflow.exposed.postfetch.PostFetch
import dev.restflow.ktor.error.ApiException
import dev.restflow.ktor.serializer.JsonColumnCodec
import dev.restflow.ktor.serializer.Decoded
import dev.restflow.ktor.serializer.ResponseSerializer
import dev.restflow.ktor.serializer.serializer
import io.ktor.server.application.ApplicationCall
import kotlinx.serialization.json.JsonPrimitive
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.jdbc.transactions.TransactionManager
import org.jetbrains.exposed.v1.core.Op
import org.jetbrains.exposed.v1.core.ResultRow
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.core.dao.id.IdTable
import org.jetbrains.exposed.v1.core.eq
import org.jetbrains.exposed.v1.jdbc.JdbcTransaction
import org.jetbrains.exposed.v1.jdbc.andWhere
import org.jetbrains.exposed.v1.jdbc.selectAll

/**
 * A compiled viewset: what its routes and extra actions use. Built once when the routes are declared; immutable and
 * thread-safe.
 */
public class ViewSetContext internal constructor(builder: ViewSetBuilder, path: String) {
    /** The table the viewset serves. */
    public val table: Table = builder.table

    /** The name shown by `OPTIONS` and in documentation. */
    public val name: String = builder.name ?: defaultName(path)

    /** The description shown by `OPTIONS`, if any. */
    public val description: String? = builder.description

    /** The column rows are looked up by. */
    public val lookupColumn: Column<*> = requireNotNull(builder.lookupColumn) {
        "Table ${table.tableName} has no single-column primary key: declare lookup(column) in the viewset"
    }

    /** The path parameter holding the lookup value. */
    public val lookupParam: String = builder.lookupParam

    /** Where database work runs. */
    public val database: DatabaseAccess = builder.database

    internal val actions: Set<ViewAction> = builder.actions
    internal val filterSet: FilterSet? = builder.filterSet?.also { set ->
        // A PostgreSQL-only lookup on another database fails here, when routes are built, not at request time.
        if (set.postgresParameters.isNotEmpty()) {
            (builder.database.database ?: TransactionManager.primaryDatabase)?.let(set::verify)
        }
    }
    internal val entities: EntityWrites? = builder.entities
    internal val baseGuards: List<Guard> = builder.guards.orEmpty().toList()
    internal val postFetches: List<PostFetch> = builder.postFetches.toList()
    internal val hooks = Hooks(builder)
    private val defaultSerializer: ResponseSerializer by lazy { serializer(table) }
    private val defaultQuery: suspend (ApplicationCall) -> org.jetbrains.exposed.v1.jdbc.Query = { table.selectAll() }
    internal val resolved: Map<ViewAction, ResolvedAction> = ViewAction.entries.associateWith { action ->
        ResolvedAction.resolve(builder, builder.actionOptions[action], { defaultSerializer }, defaultQuery)
    }
    init {
        for (action in actions) {
            val resolved = resolved.getValue(action)
            require((resolved.consumes + resolved.produces).all(MediaTypes::isJson)) {
                "The $action action of $name reads and renders JSON: declare only JSON types in consumes/produces, " +
                    "or serve other types from an extra action"
            }
        }
    }

    internal val extra: List<Pair<ExtraActionSpec, ResolvedAction>> = builder.extraActions.map { spec ->
        spec to ResolvedAction.resolve(builder, spec.options, { defaultSerializer }, defaultQuery)
    }

    /** The response serializer of [action]. */
    public fun responseSerializer(action: ViewAction): ResponseSerializer = resolved.getValue(action).response

    /** Runs [block] in a transaction on this viewset's database. */
    public suspend fun <T> transaction(block: suspend JdbcTransaction.() -> T): T = database.transaction(block)

    /** The lookup value of [raw] for [lookupColumn], or `null` when it does not parse (a 404). */
    internal fun parseLookup(raw: String?): Any? {
        if (raw.isNullOrEmpty() || raw.length > MAX_LOOKUP_LENGTH) return null
        val decoded = JsonColumnCodec.decode(JsonPrimitive(raw), lookupColumn.columnType, trim = false, allowBlank = false)
        return (decoded as? Decoded.Value)?.value
    }

    /** `id = value` on the table's id column (DAO viewsets). */
    @Suppress("UNCHECKED_CAST")
    internal fun idOp(value: Any): Op<Boolean> = ((table as IdTable<*>).id as Column<Any>) eq value

    @Suppress("UNCHECKED_CAST")
    internal fun lookupOp(value: Any): Op<Boolean> = (lookupColumn as Column<Any>) eq value

    /** The row [call] addresses through [action]'s query, or 404 `not_found` "Resource not found.". Inside a transaction. */
    internal suspend fun findRow(call: ApplicationCall, action: ResolvedAction): ResultRow {
        val value = parseLookup(call.parameters[lookupParam]) ?: throw notFound()
        return action.query(call).andWhere { lookupOp(value) }.limit(1).firstOrNull() ?: throw notFound()
    }

    internal class Hooks(builder: ViewSetBuilder) {
        val beforeCreate = builder.beforeCreate.toList()
        val afterCreate = builder.afterCreate.toList()
        val beforeUpdate = builder.beforeUpdate.toList()
        val afterUpdate = builder.afterUpdate.toList()
        val beforeDestroy = builder.beforeDestroy.toList()
        val afterDestroy = builder.afterDestroy.toList()
    }

    internal companion object {
        const val MAX_LOOKUP_LENGTH = 512

        fun notFound(): ApiException = ApiException.notFound("Resource not found.")

        fun defaultName(path: String): String =
            path.trim('/').substringAfterLast('/').split('-', '_').filter { it.isNotEmpty() }
                .joinToString(" ") { part -> part.replaceFirstChar { it.uppercaseChar() } }.ifEmpty { "Root" }
    }
}
