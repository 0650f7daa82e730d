package dev.restflow.ktor.view

import dev.restflow.exposed.filter.FilterSet
import dev.restflow.exposed.postfetch.PostFetch
import io.ktor.http.HttpMethod
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.core.dao.id.IdTable

/**
 * Declares a viewset (see [viewSet]): its actions, lookup, serializers, filters, query scope, guards, hooks and extra
 * actions. Options set here apply to every action unless `action(ViewAction.X) { … }` overrides them.
 */
public class ViewSetBuilder internal constructor(internal val table: Table) : ViewOptions() {
    internal var actions: Set<ViewAction> = ViewAction.ALL
    internal var lookupColumn: Column<*>? = (table as? IdTable<*>)?.id ?: table.primaryKey?.columns?.singleOrNull()
    internal var lookupParam: String = "id"
    internal var filterSet: FilterSet? = null
    internal val postFetches = mutableListOf<PostFetch>()
    internal var database: DatabaseAccess = DatabaseAccess.DEFAULT
    internal var name: String? = null
    internal var description: String? = null
    internal var entities: EntityWrites? = null
    internal val actionOptions = LinkedHashMap<ViewAction, ActionBuilder>()
    internal val extraActions = mutableListOf<ExtraActionSpec>()
    internal val beforeCreate = mutableListOf<suspend (HookContext) -> Unit>()
    internal val afterCreate = mutableListOf<suspend (HookContext) -> Unit>()
    internal val beforeUpdate = mutableListOf<suspend (HookContext) -> Unit>()
    internal val afterUpdate = mutableListOf<suspend (HookContext) -> Unit>()
    internal val beforeDestroy = mutableListOf<suspend (HookContext) -> Unit>()
    internal val afterDestroy = mutableListOf<suspend (HookContext) -> Unit>()

    /** Serves only `LIST` and `RETRIEVE`. */
    public fun readOnly() {
        actions = ViewAction.READ_ONLY
    }

    /** Serves only [actions]. */
    public fun actions(vararg actions: ViewAction) {
        this.actions = actions.toSet()
    }

    /**
     * Looks rows up by [column] from the path parameter [param] (`/products/{param}`): the primary key by default;
     * a slug or UUID column works the same way. A value that does not parse for the column's type is a 404.
     */
    public fun lookup(column: Column<*>, param: String = "id") {
        require(column.table == table) { "The lookup column must belong to ${table.tableName}" }
        require(param.isNotBlank() && param.none { it == '/' || it == '{' || it == '}' }) { "Invalid path parameter name: $param" }
        lookupColumn = column
        lookupParam = param
    }

    /** Filters and orders the list with [filterSet] (query parameters per the filtering guide). */
    public fun filters(filterSet: FilterSet) {
        this.filterSet = filterSet
    }

    /**
     * Attaches related rows to every listed or retrieved row after pagination, one query per page (see
     * [PostFetch]); the response serializer renders them under [PostFetch.attachAs].
     */
    public fun postFetch(postFetch: PostFetch) {
        postFetches += postFetch
    }

    /** Runs database work through [access] (a specific database or dispatcher). */
    public fun database(access: DatabaseAccess) {
        database = access
    }

    /** The name shown by `OPTIONS` and in documentation (default: from the path). */
    public fun name(name: String) {
        this.name = name
    }

    /** The description shown by `OPTIONS` (omitted when not set). */
    public fun description(description: String) {
        this.description = description
    }

    /** Overrides options for one standard [action]. */
    public fun action(action: ViewAction, block: ActionBuilder.() -> Unit) {
        actionOptions.getOrPut(action) { ActionBuilder() }.apply(block)
    }

    /**
     * Adds an extra action served at `{path}/{name}` (collection) or `{path}/{id}/{name}` (when [detail]) for
     * [method]; its `handle { }` block answers it.
     */
    public fun action(name: String, detail: Boolean = false, method: HttpMethod = HttpMethod.Get, block: ExtraActionBuilder.() -> Unit) {
        require(name.isNotBlank() && name.none { it == '/' || it == '{' || it == '}' }) { "Invalid action name: $name" }
        val builder = ExtraActionBuilder().apply(block)
        requireNotNull(builder.handler) { "Extra action '$name' has no handle { } block" }
        extraActions += ExtraActionSpec(name, detail, method, builder)
    }

    /** Runs [hook] in the transaction before a row is inserted (see [HookContext]). */
    public fun beforeCreate(hook: suspend (HookContext) -> Unit) {
        beforeCreate += hook
    }

    /** Runs [hook] in the transaction after a row is inserted. */
    public fun afterCreate(hook: suspend (HookContext) -> Unit) {
        afterCreate += hook
    }

    /** Runs [hook] in the transaction before a row is updated. */
    public fun beforeUpdate(hook: suspend (HookContext) -> Unit) {
        beforeUpdate += hook
    }

    /** Runs [hook] in the transaction after a row is updated. */
    public fun afterUpdate(hook: suspend (HookContext) -> Unit) {
        afterUpdate += hook
    }

    /** Runs [hook] in the transaction before a row is deleted. */
    public fun beforeDestroy(hook: suspend (HookContext) -> Unit) {
        beforeDestroy += hook
    }

    /** Runs [hook] in the transaction after a row is deleted. */
    public fun afterDestroy(hook: suspend (HookContext) -> Unit) {
        afterDestroy += hook
    }
}

internal class ExtraActionSpec(val name: String, val detail: Boolean, val method: HttpMethod, val options: ExtraActionBuilder)
