package dev.restflow.ktor.test

import dev.restflow.ktor.auth.TokenPair
import io.ktor.client.HttpClient
import io.ktor.client.plugins.defaultRequest
import io.ktor.client.request.post
import io.ktor.client.request.setBody
import io.ktor.client.statement.bodyAsText
import io.ktor.http.ContentType
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.http.contentType
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive

/** The path `authRoutes()` serves the obtain endpoint on by default. */
public const val DEFAULT_TOKEN_PATH: String = "/api/auth/token"

/**
 * A client like [this] that sends `Authorization: Bearer <token>` on every call (unless a call sets its own
 * `Authorization`). The new client shares [this] one's engine; closing it leaves [this] usable.
 */
public fun HttpClient.withToken(token: String): HttpClient {
    require(token.isNotBlank() && token.none { it == '\n' || it == '\r' }) { "A token must be one non-blank line" }
    return config { defaultRequest { headers.append(HttpHeaders.Authorization, "Bearer $token") } }
}

/**
 * Logs in through the application's `authRoutes` obtain endpoint (`POST {"username","password"}` to [path]) and
 * returns the `{access, refresh}` pair.
 *
 * @throws AssertionError when the endpoint does not answer 200 with both tokens (the message holds the status and body).
 */
public suspend fun HttpClient.obtainToken(username: String, password: String, path: String = DEFAULT_TOKEN_PATH): TokenPair {
    val body = JsonObject(mapOf("username" to JsonPrimitive(username), "password" to JsonPrimitive(password))).toString()
    val response = post(path) {
        contentType(ContentType.Application.Json)
        setBody(body)
    }
    return tokenPairOf(response.status.value, response.bodyAsText(), username, path)
}

internal fun tokenPairOf(status: Int, text: String, username: String, path: String): TokenPair {
    if (status != HttpStatusCode.OK.value) throw AssertionError("Obtaining a token for '$username' at $path answered $status: $text")
    val json = runCatching { Json.parseToJsonElement(text).jsonObject }.getOrNull()
    val access = json?.get("access")?.jsonPrimitive?.content
    val refresh = json?.get("refresh")?.jsonPrimitive?.content
    if (access == null || refresh == null) throw AssertionError("The token endpoint $path answered without access and refresh: $text")
    return TokenPair(access, refresh)
}
