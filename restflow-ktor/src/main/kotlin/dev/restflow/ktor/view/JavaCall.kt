package dev.restflow.ktor.view

import dev.restflow.ktor.serializer.RequestSerializer
import dev.restflow.ktor.serializer.ResponseSerializer
import dev.restflow.ktor.serializer.ValidatedData
import dev.restflow.ktor.serializer.WriteMode
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.ApplicationCall
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.serialization.json.Json
import org.jetbrains.exposed.v1.core.ResultRow
import org.jetbrains.exposed.v1.jdbc.JdbcTransaction
import java.util.function.Consumer
import java.util.function.Function

/**
 * Java: a call seen from a blocking handler ([RestflowRoutes.get], extra actions of a [ViewSetSpec]). The handler runs
 * on the database dispatcher, so it may block; every method blocks until done.
 */
public class JavaCall internal constructor(
    /** The Ktor call. */
    public val call: ApplicationCall,
    /** Where [transaction] runs. */
    public val database: DatabaseAccess,
    /** The looked-up row of a detail action, or `null`. */
    public val row: ResultRow?,
) {
    /** The first value of query parameter [name], or `null`. */
    public fun queryParameter(name: String): String? = call.request.queryParameters[name]

    /** The path parameter [name], or `null`. */
    public fun pathParameter(name: String): String? = call.parameters[name]

    /** Runs [block] in a transaction and returns its result. */
    public fun <T> transaction(block: Function<JdbcTransaction, T>): T = runBlocking { database.transaction { block.apply(this) } }

    /** Reads and validates the body with [serializer] (see [receiveValidated]). */
    public fun receiveValidated(serializer: RequestSerializer, mode: WriteMode): ValidatedData =
        runBlocking { call.receiveValidated(serializer, mode, row, database) }

    /** Answers [row] rendered by [serializer] with [status]. */
    @JvmOverloads
    public fun respond(row: ResultRow, serializer: ResponseSerializer, status: Int = 200) {
        runBlocking { call.respondSerialized(row, serializer, HttpStatusCode.fromValue(status)) }
    }

    /** Answers [rows] rendered by [serializer] as a JSON array. */
    public fun respond(rows: List<ResultRow>, serializer: ResponseSerializer) {
        runBlocking { call.respondSerialized(rows, serializer) }
    }

    /** Answers the JSON text [json] with [status]; throws [IllegalArgumentException] if it is not valid JSON. */
    @JvmOverloads
    public fun respondJson(json: String, status: Int = 200) {
        val element = Json.parseToJsonElement(json)
        runBlocking { call.respondSerialized(element, HttpStatusCode.fromValue(status)) }
    }

    internal companion object {
        suspend fun serve(call: ApplicationCall, database: DatabaseAccess, row: ResultRow?, handler: Consumer<JavaCall>) {
            withContext(database.dispatcher) { handler.accept(JavaCall(call, database, row)) }
        }
    }
}
