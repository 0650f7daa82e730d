package dev.restflow.ktor.view

import io.ktor.http.HttpMethod
import io.ktor.http.RequestConnectionPoint
import io.ktor.server.application.ApplicationCall
import io.ktor.server.plugins.MutableOriginConnectionPointKey
import io.ktor.server.plugins.origin
import io.ktor.server.request.ApplicationRequest
import io.ktor.util.AttributeKey
import io.ktor.util.Attributes

/**
 * [original] as if it had been made with [method] (DRF's `clone_request` for `OPTIONS` metadata): guards that look at
 * `call.request.httpMethod` (e.g. "authenticated or read-only") judge the action being described, not the `OPTIONS`
 * call. Everything else — headers, parameters, principal, attributes — is the original call's.
 */
internal class MethodProbeCall(private val original: ApplicationCall, method: HttpMethod) : ApplicationCall by original {
    override val request: ApplicationRequest = object : ApplicationRequest by original.request {
        override val call: ApplicationCall get() = this@MethodProbeCall
        // `origin` falls back to `local` when the origin attribute is hidden: the original origin, with the method
        override val local: RequestConnectionPoint = object : RequestConnectionPoint by original.request.origin {
            override val method: HttpMethod = method
        }
    }

    override val attributes: Attributes = object : Attributes by original.attributes {
        override fun <T : Any> getOrNull(key: AttributeKey<T>): T? =
            if (key == MutableOriginConnectionPointKey) null else original.attributes.getOrNull(key)

        override fun <T : Any> get(key: AttributeKey<T>): T =
            getOrNull(key) ?: throw IllegalStateException("No instance for key $key")

        override fun contains(key: AttributeKey<*>): Boolean = key != MutableOriginConnectionPointKey && original.attributes.contains(key)
    }
}
