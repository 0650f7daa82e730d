package dev.restflow.ktor.auth

import io.ktor.server.application.Application
import io.ktor.server.application.ApplicationCall
import io.ktor.server.application.install
import io.ktor.server.auth.Authentication
import io.ktor.server.auth.AuthenticationConfig
import io.ktor.server.auth.authenticate
import io.ktor.server.auth.principal
import io.ktor.server.routing.Route
import java.util.function.Consumer

/**
 * Java twins of the authentication DSL: install Ktor's `Authentication` plugin with Restflow's providers, protect
 * routes, and read the caller. Each provider method registers the same provider as its Kotlin extension
 * ([restflowJwt], [restflowBasic], [restflowToken], [restflowSession], [restflowRemoteUser]); [configure] sets the
 * provider's config (required settings are checked when the provider is registered, as in Kotlin).
 *
 * ```java
 * RestflowAuthentication.install(app, auth -> {
 *     RestflowAuthentication.jwt(auth, "jwt", c -> c.setUserStore(users));
 *     RestflowAuthentication.basic(auth, "basic", c -> c.setUserStore(users));
 * });
 * RestflowAuthentication.authenticate(routing, List.of("jwt", "basic"), false, route -> …);
 * ```
 */
public object RestflowAuthentication {
    /** Installs Ktor's `Authentication` plugin on [application] and lets [configure] register providers. */
    @JvmStatic
    public fun install(application: Application, configure: Consumer<AuthenticationConfig>) {
        application.install(Authentication) { configure.accept(this) }
    }

    /** Registers JWT bearer authentication as provider [name] (`null`: the unnamed provider); see [restflowJwt]. */
    @JvmStatic
    public fun jwt(config: AuthenticationConfig, name: String?, configure: Consumer<RestflowJwtConfig>) {
        config.restflowJwt(name) { configure.accept(this) }
    }

    /** Registers HTTP Basic authentication as provider [name]; see [restflowBasic]. */
    @JvmStatic
    public fun basic(config: AuthenticationConfig, name: String?, configure: Consumer<RestflowBasicConfig>) {
        config.restflowBasic(name) { configure.accept(this) }
    }

    /** Registers static API-key authentication (`Authorization: Token <key>`) as provider [name]; see [restflowToken]. */
    @JvmStatic
    public fun token(config: AuthenticationConfig, name: String?, configure: Consumer<RestflowTokenConfig>) {
        config.restflowToken(name) { configure.accept(this) }
    }

    /**
     * Registers session authentication as provider [name]; see [restflowSession]. From Java give the user-id reader
     * with [RestflowSessionConfig.userIdBlocking] or [RestflowSessionConfig.userIdAsync].
     */
    @JvmStatic
    public fun session(config: AuthenticationConfig, name: String?, configure: Consumer<RestflowSessionConfig>) {
        config.restflowSession(name) { configure.accept(this) }
    }

    /** Registers trusted remote-user authentication as provider [name]; see [restflowRemoteUser]. */
    @JvmStatic
    public fun remoteUser(config: AuthenticationConfig, name: String?, configure: Consumer<RestflowRemoteUserConfig>) {
        config.restflowRemoteUser(name) { configure.accept(this) }
    }

    /**
     * Ktor's `authenticate(…) { … }`: the routes [build] adds under [route] require one of [providers] (`null` in the
     * list: the unnamed provider), tried in order, the first success wins. With [optional], calls without
     * credentials pass unauthenticated (permissions then decide); invalid credentials are still refused with 401.
     */
    @JvmStatic
    public fun authenticate(route: Route, providers: List<String?>, optional: Boolean, build: Consumer<Route>): Route =
        route.authenticate(*providers.toTypedArray(), optional = optional) { build.accept(this) }

    /** The call's [RestflowPrincipal], or `null` when the call is not authenticated by a Restflow provider. */
    @JvmStatic
    public fun principal(call: ApplicationCall): RestflowPrincipal? = call.principal<RestflowPrincipal>()
}
