package dev.restflow.ktor

import dev.restflow.ktor.error.AllowedMethods
import dev.restflow.ktor.error.ApiException
import dev.restflow.ktor.error.ErrorCodes
import dev.restflow.ktor.error.ExceptionTranslator
import dev.restflow.ktor.error.StatusErrors
import dev.restflow.ktor.error.appendErrorHeaders
import dev.restflow.ktor.error.envelopeContent
import dev.restflow.ktor.request.BodyLimit
import dev.restflow.ktor.request.RequestIdKey
import dev.restflow.ktor.request.RequestIds
import dev.restflow.ktor.settings.RestflowSettings
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.http.content.OutgoingContent
import io.ktor.server.application.ApplicationPlugin
import io.ktor.server.application.ApplicationStopped
import io.ktor.server.application.createApplicationPlugin
import io.ktor.server.application.hooks.CallFailed
import io.ktor.server.application.hooks.CallSetup
import io.ktor.server.application.hooks.ReceiveRequestBytes
import io.ktor.server.application.hooks.ResponseBodyReadyForSend
import io.ktor.server.application.pluginOrNull
import io.ktor.server.request.httpMethod
import io.ktor.server.request.path
import io.ktor.server.response.respond
import io.ktor.server.routing.RoutingRoot
import io.ktor.util.AttributeKey
import io.ktor.utils.io.ClosedWriteChannelException
import kotlinx.coroutines.CancellationException
import org.slf4j.LoggerFactory

private val LOG = LoggerFactory.getLogger("dev.restflow.ktor.Restflow")
private val ErrorRendered = restflowKey<Unit>("restflow.errorRendered")

/**
 * The Restflow application plugin: `install(Restflow) { … }`.
 *
 * At install it reads the typed [RestflowSettings] (the config's `restflow` block, then the block's overrides),
 * failing start-up on invalid configuration, and makes them available as `application.restflow.settings`. For every
 * call it then:
 * - assigns a request id (see [dev.restflow.ktor.request.requestId]) and echoes it in the response;
 * - limits request bodies to `restflow.request.max-body-size` (413 before parsing);
 * - answers every error in the envelope `{"error":{"code","message","details"}}`: thrown [ApiException]s, mapped
 *   exceptions, Ktor's own failures (malformed JSON, missing parameters, 415, 413) and body-less error statuses
 *   (unknown route 404, 405 with `Allow`, 406, a plugin's 401 or 429), keeping headers such as
 *   `WWW-Authenticate`, `Retry-After` and `Allow`. Any other exception is a 500 `internal_error` whose body holds only
 *   `details.correlation_id` (the request id); the stack trace goes to the log.
 *
 * Install it once, before routes. A client that disconnects (cancellation) is not answered.
 */
public val Restflow: ApplicationPlugin<RestflowConfig> = createApplicationPlugin("Restflow", ::RestflowConfig) {
    val builder = RestflowSettings.builder()
    if (pluginConfig.readApplicationConfig) builder.applyConfig(application.environment.config)
    pluginConfig.overrides.forEach { it(builder) }
    val settings = builder.build()
    val clock = if (pluginConfig.clockSet) pluginConfig.clock else application.attributes.getOrNull(DefaultClockKey) ?: pluginConfig.clock
    val context = RestflowContext(settings, clock, pluginConfig.meterRegistry)
    application.attributes.put(RestflowContextKey, context)
    application.monitor.subscribe(ApplicationStopped) { context.close() }

    val translator = ExceptionTranslator(pluginConfig.errors)
    val idHeader = settings.request.idHeader
    val maxBody = settings.request.maxBodySize

    on(CallSetup) { call ->
        val id = RequestIds.accept(call.request.headers[idHeader])
        call.attributes.put(RequestIdKey, id)
        call.response.headers.append(idHeader, id)
    }

    on(ReceiveRequestBytes) { call, body -> BodyLimit.limit(call, call, body, maxBody) }

    on(CallFailed) { call, cause ->
        if (cause is CancellationException || cause is ClosedWriteChannelException) throw cause
        if (call.attributes.contains(ErrorRendered)) throw cause
        if (call.response.isCommitted) {
            LOG.error("Request {} {} (id {}) failed after the response was committed", call.request.httpMethod.value, call.request.path(), call.attributes.getOrNull(RequestIdKey), cause)
            throw cause
        }
        val error = try {
            translator.translate(cause, call.request.headers[HttpHeaders.ContentType])
        } catch (mapperFailure: Throwable) {
            mapperFailure.addSuppressed(cause)
            LOG.error("An exception mapper failed", mapperFailure)
            null
        } ?: internalError(call.attributes.getOrNull(RequestIdKey) ?: "unknown").also {
            LOG.error(
                "Unhandled exception on {} {} (request id {})",
                call.request.httpMethod.value, call.request.path(), it.details["correlation_id"], cause,
            )
        }
        call.attributes.put(ErrorRendered, Unit)
        call.appendErrorHeaders(error)
        call.respond(envelopeContent(error))
    }

    on(ResponseBodyReadyForSend) { call, content ->
        if (call.attributes.contains(ErrorRendered)) return@on
        val status = content.status ?: call.response.status() ?: return@on
        if (status.value < 400 || !content.isBodyless()) return@on
        call.attributes.put(ErrorRendered, Unit)
        content.headers.entries().forEach { (name, values) -> values.forEach { call.response.headers.append(name, it) } }
        var effective = status
        if (status == HttpStatusCode.NotFound || status == HttpStatusCode.MethodNotAllowed) {
            // Ktor answers 404 when the path exists under other methods only: that is a 405 with Allow.
            val allowed = call.application.pluginOrNull(RoutingRoot)
                ?.let { AllowedMethods.find(it, call.request.path()) }.orEmpty()
            if (allowed.isNotEmpty() && call.request.httpMethod !in allowed) {
                effective = HttpStatusCode.MethodNotAllowed
                if (!call.response.headers.contains(HttpHeaders.Allow)) {
                    call.response.headers.append(HttpHeaders.Allow, allowed.joinToString(", ") { it.value })
                }
            }
        }
        val error = StatusErrors.forStatus(
            effective,
            call.request.httpMethod.value,
            call.request.headers[HttpHeaders.ContentType],
        ) { name -> call.response.headers[name] ?: content.headers[name] }
        call.appendErrorHeaders(error)
        transformBodyTo(envelopeContent(error))
    }
}

private fun internalError(correlationId: String): ApiException = ApiException(
    HttpStatusCode.InternalServerError, ErrorCodes.INTERNAL_ERROR, "Internal server error.",
    mapOf("correlation_id" to correlationId),
)

private fun OutgoingContent.isBodyless(): Boolean = when (this) {
    is OutgoingContent.NoContent -> true
    is OutgoingContent.ByteArrayContent -> contentLength == 0L
    else -> contentLength == 0L
}
