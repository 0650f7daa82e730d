package dev.restflow.ktor.view

import io.ktor.server.application.RouteScopedPlugin
import io.ktor.server.application.createRouteScopedPlugin
import io.ktor.server.auth.AuthenticationChecked

/** Runs an action's guards right after authentication, before other route plugins (the response cache) act. */
internal class ViewGuardsConfig {
    var action: ResolvedAction? = null
}

internal val ViewGuards: RouteScopedPlugin<ViewGuardsConfig> = createRouteScopedPlugin("RestflowViewGuards", ::ViewGuardsConfig) {
    val action = requireNotNull(pluginConfig.action)
    on(AuthenticationChecked) { call -> action.guard(call) }
}
