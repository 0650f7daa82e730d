package dev.restflow.ktor.view

import io.ktor.server.routing.Route
import io.ktor.server.routing.route
import org.jetbrains.exposed.v1.core.Table

/*
 * DRF's generic views as route functions: the same machinery as viewSet, mounted on one path. Collection views
 * (list, create) serve [path] itself; detail views (retrieve, update, destroy) need the lookup parameter in [path],
 * e.g. "/products/{id}" (or the one named by `lookup(column, param)`).
 */

/** `GET path`: DRF's `ListAPIView`. */
public fun Route.listView(path: String, table: Table, block: ViewSetBuilder.() -> Unit = {}): ViewSetContext =
    genericView(path, table, setOf(ViewAction.LIST), block)

/** `POST path`: DRF's `CreateAPIView`. */
public fun Route.createView(path: String, table: Table, block: ViewSetBuilder.() -> Unit = {}): ViewSetContext =
    genericView(path, table, setOf(ViewAction.CREATE), block)

/** `GET` and `POST path`: DRF's `ListCreateAPIView`. */
public fun Route.listCreateView(path: String, table: Table, block: ViewSetBuilder.() -> Unit = {}): ViewSetContext =
    genericView(path, table, setOf(ViewAction.LIST, ViewAction.CREATE), block)

/** `GET path/{id}`: DRF's `RetrieveAPIView`. */
public fun Route.retrieveView(path: String, table: Table, block: ViewSetBuilder.() -> Unit = {}): ViewSetContext =
    genericView(path, table, setOf(ViewAction.RETRIEVE), block)

/** `PUT` and `PATCH path/{id}`: DRF's `UpdateAPIView`. */
public fun Route.updateView(path: String, table: Table, block: ViewSetBuilder.() -> Unit = {}): ViewSetContext =
    genericView(path, table, setOf(ViewAction.UPDATE, ViewAction.PARTIAL_UPDATE), block)

/** `DELETE path/{id}`: DRF's `DestroyAPIView`. */
public fun Route.destroyView(path: String, table: Table, block: ViewSetBuilder.() -> Unit = {}): ViewSetContext =
    genericView(path, table, setOf(ViewAction.DESTROY), block)

/** `GET`, `PUT` and `PATCH path/{id}`: DRF's `RetrieveUpdateAPIView`. */
public fun Route.retrieveUpdateView(path: String, table: Table, block: ViewSetBuilder.() -> Unit = {}): ViewSetContext =
    genericView(path, table, setOf(ViewAction.RETRIEVE, ViewAction.UPDATE, ViewAction.PARTIAL_UPDATE), block)

/** `GET` and `DELETE path/{id}`: DRF's `RetrieveDestroyAPIView`. */
public fun Route.retrieveDestroyView(path: String, table: Table, block: ViewSetBuilder.() -> Unit = {}): ViewSetContext =
    genericView(path, table, setOf(ViewAction.RETRIEVE, ViewAction.DESTROY), block)

/** `GET`, `PUT`, `PATCH` and `DELETE path/{id}`: DRF's `RetrieveUpdateDestroyAPIView`. */
public fun Route.retrieveUpdateDestroyView(path: String, table: Table, block: ViewSetBuilder.() -> Unit = {}): ViewSetContext =
    genericView(path, table, setOf(ViewAction.RETRIEVE, ViewAction.UPDATE, ViewAction.PARTIAL_UPDATE, ViewAction.DESTROY), block)

internal fun Route.genericView(path: String, table: Table, actions: Set<ViewAction>, block: ViewSetBuilder.() -> Unit): ViewSetContext {
    val builder = ViewSetBuilder(table).apply(block)
    builder.actions = actions
    val context = ViewSetContext(builder, path)
    val routing = ViewSetRouting(context)
    val detail = actions.first().detail
    require(actions.all { it.detail == detail }) { "A generic view serves either collection or detail actions" }
    if (detail) {
        require("{${context.lookupParam}}" in path) { "The path of a detail view must contain {${context.lookupParam}}: $path" }
    }
    route(path) { if (detail) routing.detail(this) else routing.collection(this) }
    return context
}
