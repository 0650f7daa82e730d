package dev.restflow.ktor.openapi

import io.ktor.server.application.Application
import io.ktor.server.application.install
import io.ktor.server.routing.Route
import java.util.function.Consumer

/** Java: installs [RestflowOpenApi], reads the generated document and adds to operations. */
public object OpenApi {
    /** Installs [RestflowOpenApi] configured by [configure]. */
    @JvmStatic
    public fun install(application: Application, configure: Consumer<OpenApiConfig>) {
        application.install(RestflowOpenApi) { configure.accept(this) }
    }

    /** Adds [configure] to the operation [operationId] (see [OpenApiConfig.operation]). */
    @JvmStatic
    public fun operation(config: OpenApiConfig, operationId: String, configure: Consumer<OperationDoc>): OpenApiConfig =
        config.operation(operationId) { configure.accept(this) }

    /** Adds [configure] to the operations of [route] and the routes below it (see [openApi]). */
    @JvmStatic
    public fun describe(route: Route, configure: Consumer<OperationDoc>): Route = route.openApi { configure.accept(this) }

    /** Leaves [route] and the routes below it out of the document. */
    @JvmStatic
    public fun hide(route: Route): Route = route.hideFromOpenApi()

    /** The document as indented JSON (see [openApiDocument]). */
    @JvmStatic
    public fun json(application: Application): String = application.openApiJson()

    /** The document as YAML. */
    @JvmStatic
    public fun yaml(application: Application): String = application.openApiYaml()
}
