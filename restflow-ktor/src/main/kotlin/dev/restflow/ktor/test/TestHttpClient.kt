package dev.restflow.ktor.test

import dev.restflow.ktor.auth.AuthUser
import dev.restflow.ktor.auth.TokenPair
import io.ktor.client.HttpClient
import io.ktor.client.plugins.defaultRequest
import io.ktor.client.request.request
import io.ktor.client.request.setBody
import io.ktor.client.statement.bodyAsText
import io.ktor.http.ContentType
import io.ktor.http.HttpMethod
import io.ktor.http.contentType
import kotlinx.coroutines.runBlocking

/**
 * A blocking client of a [RestflowTestServer], for Java tests: each call waits for the whole response. Bodies are JSON
 * text. Derived clients ([withToken], [forceAuthenticate]) share the connection; closing the server closes them.
 */
public class TestHttpClient internal constructor(
    private val http: HttpClient,
    private val principals: ForcedPrincipals,
) {
    /** `GET path`. */
    public fun get(path: String): TestResponse = request("GET", path, null)

    /** `POST path` with a JSON body. */
    public fun post(path: String, json: String): TestResponse = request("POST", path, json)

    /** `PUT path` with a JSON body. */
    public fun put(path: String, json: String): TestResponse = request("PUT", path, json)

    /** `PATCH path` with a JSON body. */
    public fun patch(path: String, json: String): TestResponse = request("PATCH", path, json)

    /** `DELETE path`. */
    public fun delete(path: String): TestResponse = request("DELETE", path, null)

    /** Any [method] with an optional JSON [json] body. */
    public fun request(method: String, path: String, json: String?): TestResponse = runBlocking {
        val response = http.request(path) {
            this.method = HttpMethod.parse(method)
            if (json != null) {
                contentType(ContentType.Application.Json)
                setBody(json)
            }
        }
        TestResponse(response.status.value, response.headers, response.bodyAsText(), path)
    }

    /** A client that sends `Authorization: Bearer <token>`; see [HttpClient.withToken]. */
    public fun withToken(token: String): TestHttpClient = TestHttpClient(http.withToken(token), principals)

    /** A client authenticated as [user] without credentials; see [RestflowTestBuilder.forceAuthenticate]. */
    public fun forceAuthenticate(user: AuthUser): TestHttpClient {
        val value = principals.register(user)
        return TestHttpClient(http.config { defaultRequest { headers.append(FORCED_PRINCIPAL_HEADER, value) } }, principals)
    }

    /** Logs in through the obtain endpoint at [path]; see [HttpClient.obtainToken]. */
    @JvmOverloads
    public fun obtainToken(username: String, password: String, path: String = DEFAULT_TOKEN_PATH): TokenPair =
        runBlocking { http.obtainToken(username, password, path) }

    internal fun close() = http.close()
}
