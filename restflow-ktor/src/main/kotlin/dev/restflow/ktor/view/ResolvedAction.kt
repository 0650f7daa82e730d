package dev.restflow.ktor.view

import dev.restflow.ktor.restflowKey
import dev.restflow.ktor.serializer.RequestSerializer
import dev.restflow.ktor.serializer.ResponseSerializer
import dev.restflow.exposed.pagination.Paginator
import dev.restflow.ktor.cache.ResponseCacheConfig
import io.ktor.http.ContentType
import io.ktor.server.application.ApplicationCall
import io.ktor.util.AttributeKey
import org.jetbrains.exposed.v1.jdbc.Query

/** Set once a call's guards passed, so they run once when a plugin ran them before the handler. */
internal val GuardsPassed: AttributeKey<Unit> = restflowKey("restflow.view.guardsPassed")

/** One action's effective configuration after resolving action options over viewset options. */
internal class ResolvedAction(
    val request: RequestSerializer?,
    val response: ResponseSerializer,
    val query: suspend (ApplicationCall) -> Query,
    val guards: List<Guard>,
    val responseCache: (ResponseCacheConfig.() -> Unit)? = null,
    /** `null` with [paginationSet] false: the settings' default page numbers; `null` with it true: no pagination. */
    val paginator: Paginator? = null,
    val paginationSet: Boolean = false,
    val consumes: List<ContentType> = MediaTypes.JSON,
    val produces: List<ContentType> = MediaTypes.JSON,
) {
    private val negotiator = Negotiator(produces)

    /** Content negotiation (406), then the guards — DRF's order; once per call. */
    suspend fun guard(call: ApplicationCall) {
        if (call.attributes.contains(GuardsPassed)) return
        negotiator.negotiate(call)
        for (guard in guards) guard.check(call)
        call.attributes.put(GuardsPassed, Unit)
    }

    suspend fun guardObject(call: ApplicationCall, row: Any) {
        for (guard in guards) guard.checkObject(call, row)
    }

    companion object {
        fun resolve(
            viewSet: ViewOptions,
            action: ViewOptions?,
            defaultSerializer: () -> ResponseSerializer,
            defaultQuery: suspend (ApplicationCall) -> Query,
        ): ResolvedAction {
            val response = action?.responseSerializer ?: viewSet.responseSerializer ?: action?.serializer ?: viewSet.serializer
            val request = action?.requestSerializer ?: viewSet.requestSerializer
                ?: action?.serializer as? RequestSerializer ?: viewSet.serializer as? RequestSerializer
            val fallback by lazy(defaultSerializer)
            return ResolvedAction(
                request = request ?: (if (response == null) fallback as? RequestSerializer else null),
                response = response ?: fallback,
                query = action?.query ?: viewSet.query ?: defaultQuery,
                guards = (action?.guards ?: viewSet.guards).orEmpty().toList(),
                responseCache = action?.responseCache ?: viewSet.responseCache,
                paginator = if (action?.paginationSet == true) action.paginator else viewSet.paginator,
                paginationSet = action?.paginationSet == true || viewSet.paginationSet,
                consumes = action?.consumes ?: viewSet.consumes ?: MediaTypes.JSON,
                produces = action?.produces ?: viewSet.produces ?: MediaTypes.JSON,
            )
        }
    }
}
