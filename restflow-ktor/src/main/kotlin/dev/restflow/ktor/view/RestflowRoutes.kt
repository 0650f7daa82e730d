package dev.restflow.ktor.view

import io.ktor.http.HttpMethod
import io.ktor.server.routing.Route
import io.ktor.server.routing.method
import io.ktor.server.routing.route
import java.util.function.Consumer

/** Java: mounts viewsets and blocking handlers on a Ktor [Route]. */
public object RestflowRoutes {
    /** Mounts the viewset [spec] at [path] under [route]; returns the compiled viewset. */
    @JvmStatic
    public fun viewSet(route: Route, path: String, spec: ViewSetSpec): ViewSetContext =
        spec.entityClass?.let { route.viewSet(path, it, spec.configure) } ?: route.viewSet(path, spec.table, spec.configure)

    /**
     * Serves [method] at [path] with a blocking [handler] run on [database]'s dispatcher; errors thrown by the handler
     * (e.g. [dev.restflow.ktor.error.ApiException]) are answered in the envelope.
     */
    @JvmStatic
    @JvmOverloads
    public fun handle(route: Route, method: HttpMethod, path: String, handler: Consumer<JavaCall>, database: DatabaseAccess = DatabaseAccess.DEFAULT) {
        route.route(path) { method(method) { handle { JavaCall.serve(call, database, null, handler) } } }
    }
}
