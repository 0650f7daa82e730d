package dev.restflow.ktor.view

import dev.restflow.exposed.filter.FilterSet
import dev.restflow.exposed.pagination.Paginator
import dev.restflow.exposed.postfetch.PostFetch
import dev.restflow.ktor.permission.Permission
import dev.restflow.ktor.throttle.Throttle
import dev.restflow.ktor.serializer.RequestSerializer
import dev.restflow.ktor.serializer.ResponseSerializer
import io.ktor.http.ContentType
import io.ktor.http.HttpMethod
import io.ktor.server.application.ApplicationCall
import org.jetbrains.exposed.v1.core.Column
import org.jetbrains.exposed.v1.core.Table
import org.jetbrains.exposed.v1.dao.EntityClass
import org.jetbrains.exposed.v1.jdbc.Query
import java.util.function.Consumer
import java.util.function.Function

/**
 * Java: a viewset declaration, built with [builder] and mounted with [RestflowRoutes.viewSet]. Kotlin code uses
 * `viewSet(path, table) { … }`.
 */
public class ViewSetSpec private constructor(
    internal val table: Table,
    internal val entityClass: EntityClass<*, *>?,
    internal val configure: ViewSetBuilder.() -> Unit,
) {
    /** Fluent Java builder of a [ViewSetSpec]; every method mirrors the Kotlin DSL. */
    public class Builder internal constructor(private val table: Table, private val entityClass: EntityClass<*, *>? = null) {
        private val steps = mutableListOf<ViewSetBuilder.() -> Unit>()

        private fun step(step: ViewSetBuilder.() -> Unit): Builder = apply { steps += step }

        /** See [ViewSetBuilder.readOnly]. */
        public fun readOnly(): Builder = step { readOnly() }

        /** See [ViewSetBuilder.actions]. */
        public fun actions(vararg actions: ViewAction): Builder = step { actions(*actions) }

        /** See [ViewSetBuilder.lookup]. */
        public fun lookup(column: Column<*>, param: String): Builder = step { lookup(column, param) }

        /** See [ViewOptions.serializer]. */
        public fun serializer(serializer: ResponseSerializer): Builder = step { serializer(serializer) }

        /** See [ViewOptions.requestSerializer]. */
        public fun requestSerializer(serializer: RequestSerializer): Builder = step { requestSerializer(serializer) }

        /** See [ViewOptions.responseSerializer]. */
        public fun responseSerializer(serializer: ResponseSerializer): Builder = step { responseSerializer(serializer) }

        /** See [ViewSetBuilder.filters]. */
        public fun filters(filterSet: FilterSet): Builder = step { filters(filterSet) }

        /** See [ViewOptions.pagination]. */
        public fun pagination(paginator: Paginator): Builder = step { pagination(paginator) }

        /** See [ViewOptions.noPagination]. */
        public fun noPagination(): Builder = step { noPagination() }

        /** See [ViewSetBuilder.postFetch]. */
        public fun postFetch(postFetch: PostFetch): Builder = step { postFetch(postFetch) }

        /** See [ViewSetBuilder.database]. */
        public fun database(access: DatabaseAccess): Builder = step { database(access) }

        /** See [ViewSetBuilder.name]. */
        public fun name(name: String): Builder = step { name(name) }

        /** See [ViewOptions.consumes]. */
        public fun consumes(vararg types: ContentType): Builder = step { consumes(*types) }

        /** See [ViewOptions.produces]. */
        public fun produces(vararg types: ContentType): Builder = step { produces(*types) }

        /** See [ViewSetBuilder.description]. */
        public fun description(description: String): Builder = step { description(description) }

        /** The base query, built inside the transaction (see [ViewOptions.query]). */
        public fun query(query: Function<ApplicationCall, Query>): Builder = step { query { call -> query.apply(call) } }

        /** See [ViewOptions.permissions]. */
        public fun permissions(vararg permissions: Permission): Builder = step { permissions(*permissions) }

        /** See [ViewOptions.throttles]. */
        public fun throttles(vararg throttles: Throttle): Builder = step { throttles(*throttles) }

        /** Adds guards (see [ViewOptions.guards]). */
        public fun guards(vararg guards: Guard): Builder = step { guards(*guards) }

        /** Adds a blocking guard. */
        public fun guard(guard: JavaGuard): Builder = step { guards(guard.toGuard()) }

        /** Overrides one action's serializers and guards: `.action(ViewAction.LIST, a -> a.serializer(brief))`. */
        public fun action(action: ViewAction, configure: Consumer<ActionBuilder>): Builder = step { action(action) { configure.accept(this) } }

        /** Adds a blocking before-create hook (runs in the transaction, on the database dispatcher). */
        public fun beforeCreate(hook: Consumer<HookContext>): Builder = step { beforeCreate { blocking(it, hook) } }

        /** Adds a blocking after-create hook. */
        public fun afterCreate(hook: Consumer<HookContext>): Builder = step { afterCreate { blocking(it, hook) } }

        /** Adds a blocking before-update hook. */
        public fun beforeUpdate(hook: Consumer<HookContext>): Builder = step { beforeUpdate { blocking(it, hook) } }

        /** Adds a blocking after-update hook. */
        public fun afterUpdate(hook: Consumer<HookContext>): Builder = step { afterUpdate { blocking(it, hook) } }

        /** Adds a blocking before-destroy hook. */
        public fun beforeDestroy(hook: Consumer<HookContext>): Builder = step { beforeDestroy { blocking(it, hook) } }

        /** Adds a blocking extra action (see [ViewSetBuilder.action]); the handler answers through [JavaCall]. */
        public fun action(name: String, detail: Boolean, method: HttpMethod, handler: Consumer<JavaCall>): Builder = step {
            action(name, detail, method) {
                handle { ctx -> JavaCall.serve(ctx.call, ctx.viewSet.database, ctx.row, handler) }
            }
        }

        /** The spec. */
        public fun build(): ViewSetSpec {
            val copy = steps.toList()
            return ViewSetSpec(table, entityClass) { copy.forEach { it() } }
        }

        /** Hooks already run on the database dispatcher with the transaction bound to the thread. */
        private fun blocking(context: HookContext, hook: Consumer<HookContext>) {
            hook.accept(context)
        }
    }

    public companion object {
        /** A builder for a viewset over [table]. */
        @JvmStatic
        public fun builder(table: Table): Builder = Builder(table)

        /**
         * A builder for a viewset over the DAO [entityClass] (in Java, the entity's `Companion`): reads as over its
         * table, writes through the entity (see `viewSet(path, entityClass)`); hooks see [HookContext.entity].
         */
        @JvmStatic
        public fun builder(entityClass: EntityClass<*, *>): Builder = Builder(entityClass.table, entityClass)
    }
}
