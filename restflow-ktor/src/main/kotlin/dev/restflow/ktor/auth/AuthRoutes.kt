package dev.restflow.ktor.auth

import dev.restflow.RestflowDsl
import dev.restflow.ktor.auth.blacklist.TokenBlacklistKey
import dev.restflow.ktor.auth.blacklist.installTokenBlacklist
import dev.restflow.ktor.auth.jwt.JwtTokens
import dev.restflow.ktor.auth.password.PasswordHasher
import dev.restflow.ktor.auth.password.Pbkdf2PasswordHasher
import dev.restflow.ktor.error.ApiException
import dev.restflow.ktor.restflow
import io.ktor.http.ContentType
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.ApplicationCall
import io.ktor.server.routing.application
import io.ktor.server.request.receiveText
import io.ktor.server.response.respond
import io.ktor.server.response.respondText
import io.ktor.server.routing.Route
import io.ktor.server.routing.post
import dev.restflow.ktor.openapi.AuthEndpointDocs
import dev.restflow.ktor.openapi.openApi
import io.ktor.server.routing.route
import kotlinx.serialization.SerializationException
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import java.util.function.Consumer

/** Configuration of [authRoutes]. */
@RestflowDsl
public class AuthRoutesConfig internal constructor() {
    /** Where users are found by username (log-in) and id (refresh). Required. */
    public var userStore: UserStore? = null

    /** Checks passwords (default [Pbkdf2PasswordHasher], Django's format). */
    public var hasher: PasswordHasher = Pbkdf2PasswordHasher()

    /** Replaces `application.restflow.jwt`, e.g. with `JwtTokens(settings, clock)` in tests. */
    public var tokens: JwtTokens? = null

    /** The realm named in `WWW-Authenticate` (default `restflow`). */
    public var realm: String = "restflow"

    /** Java: sets [userStore]. */
    public fun userStore(store: UserStore): AuthRoutesConfig = apply { userStore = store }

    /** Java: sets [hasher]. */
    public fun hasher(hasher: PasswordHasher): AuthRoutesConfig = apply { this.hasher = hasher }

    /** Java: sets [tokens]. */
    public fun tokens(tokens: JwtTokens): AuthRoutesConfig = apply { this.tokens = tokens }
}

/**
 * Adds drf-restflow's token endpoints under [path] and returns the [AuthService] behind them:
 * - `POST token` `{username,password}` → 200 `{access,refresh}`; bad credentials → 401 `authentication_failed`;
 * - `POST token/refresh` `{refresh}` → 200 `{access,refresh}` (rotation and reuse detection, see [AuthService]);
 * - `POST token/blacklist` `{refresh}` → 204, also revoking the access token of an `Authorization` header — only
 *   when a blacklist is installed.
 *
 * Missing or blank fields → 400 `validation_error` with "This field is required." per field; a body that is not a
 * JSON object → 400 `parse_error`. With `blacklist-enabled` (the default) and no blacklist registered yet, this calls
 * [installTokenBlacklist], so a misconfigured blacklist fails start-up here.
 */
public fun Route.authRoutes(path: String = "/api/auth", configure: AuthRoutesConfig.() -> Unit): AuthService {
    val config = AuthRoutesConfig().apply(configure)
    val app = application
    if (app.restflow.settings.jwt.blacklistEnabled && !app.attributes.contains(TokenBlacklistKey)) app.installTokenBlacklist()
    val service = AuthService.create(
        app, checkNotNull(config.userStore) { "authRoutes { userStore = … } is required" }, config.hasher, config.tokens, config.realm,
    )
    route(path) {
        post("token") {
            val body = call.jsonBody()
            val fields = requiredStrings(body, "username", "password")
            call.respondPair(service.obtain(fields.getValue("username"), fields.getValue("password")))
        }.openApi(AuthEndpointDocs.token)
        post("token/refresh") {
            val refresh = requiredStrings(call.jsonBody(), "refresh").getValue("refresh")
            call.respondPair(service.refresh(refresh))
        }.openApi(AuthEndpointDocs.refreshToken)
        if (service.hasBlacklist) {
            post("token/blacklist") {
                val refresh = requiredStrings(call.jsonBody(), "refresh").getValue("refresh")
                service.blacklist(refresh, call.bearerToken())
                call.respond(HttpStatusCode.NoContent)
            }.openApi(AuthEndpointDocs.blacklist)
        }
    }
    return service
}

/** Java twin of [authRoutes]. */
public object AuthRoutes {
    /** Adds the token endpoints under [path] of [route]; see [authRoutes]. */
    @JvmStatic
    public fun install(route: Route, path: String, configure: Consumer<AuthRoutesConfig>): AuthService =
        route.authRoutes(path) { configure.accept(this) }
}

private suspend fun ApplicationCall.jsonBody(): JsonObject {
    val text = receiveText()
    val element = try {
        Json.parseToJsonElement(text)
    } catch (e: SerializationException) {
        throw ApiException.parseError(e.message?.lineSequence()?.firstOrNull() ?: "malformed JSON")
    } catch (e: IllegalArgumentException) {
        throw ApiException.parseError("malformed JSON")
    }
    return element as? JsonObject ?: throw ApiException.parseError("expected a JSON object")
}

private fun requiredStrings(body: JsonObject, vararg names: String): Map<String, String> {
    val errors = linkedMapOf<String, Any?>()
    val values = linkedMapOf<String, String>()
    for (name in names) {
        val value = (body[name] as? JsonPrimitive)?.takeIf { it.isString }?.content
        when {
            body[name] == null || value?.isBlank() == true -> errors[name] = listOf("This field is required.")
            value == null -> errors[name] = listOf("Not a valid string.")
            else -> values[name] = value
        }
    }
    if (errors.isNotEmpty()) throw ApiException.validation(errors)
    return values
}

private fun ApplicationCall.bearerToken(): String? {
    val parts = request.headers[HttpHeaders.Authorization]?.trim()?.split(Regex("\\s+")) ?: return null
    if (parts.size != 2) return null
    val types = application.restflow.settings.jwt.authHeaderTypes
    return parts[1].takeIf { types.any { t -> t.equals(parts[0], ignoreCase = true) } }
}

private suspend fun ApplicationCall.respondPair(pair: TokenPair) {
    val json = buildJsonObject {
        put("access", pair.access)
        put("refresh", pair.refresh)
    }
    respondText(json.toString(), ContentType.Application.Json)
}
