package dev.restflow.ktor.view

import io.ktor.http.ContentType
import io.ktor.server.application.ApplicationCall
import org.jetbrains.exposed.v1.core.ResultRow

/**
 * What an extra action's handler sees: the [call] and, for a detail action, the looked-up [row] (already scoped by
 * the viewset's query and checked against object permissions). The handler answers the call itself, e.g. with
 * `call.respondSerialized(...)`; it runs outside any transaction — use [ViewSetContext.transaction] for database work.
 */
public class ExtraActionContext internal constructor(
    /** The call being served. */
    public val call: ApplicationCall,
    /** The looked-up row of a detail action, or `null` for a collection action. */
    public val row: ResultRow?,
    /** The viewset this action belongs to (its serializers, table and database access). */
    public val viewSet: ViewSetContext,
) {
    /** The response type chosen from the action's `produces(…)` by the `Accept` header (`application/json` by default). */
    public val responseType: ContentType get() = call.attributes.getOrNull(ResponseType) ?: ContentType.Application.Json
}
