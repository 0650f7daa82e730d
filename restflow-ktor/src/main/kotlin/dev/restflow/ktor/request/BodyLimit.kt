package dev.restflow.ktor.request

import io.ktor.http.HttpHeaders
import io.ktor.server.application.ApplicationCall
import io.ktor.server.plugins.PayloadTooLargeException
import io.ktor.utils.io.ByteReadChannel
import io.ktor.utils.io.readAvailable
import io.ktor.utils.io.writeFully
import io.ktor.utils.io.writer
import kotlinx.coroutines.CoroutineScope

/**
 * Enforces `restflow.request.max-body-size` on every body read: a declared `Content-Length` over the limit fails
 * before a byte is read; a chunked body fails as soon as the limit is crossed. Both surface as Ktor's
 * [PayloadTooLargeException], answered 413 `payload_too_large`.
 */
internal object BodyLimit {
    fun limit(scope: CoroutineScope, call: ApplicationCall, body: ByteReadChannel, max: Long): ByteReadChannel {
        val declared = call.request.headers[HttpHeaders.ContentLength]?.toLongOrNull()
        if (declared != null) {
            if (declared > max) throw PayloadTooLargeException(max)
            return body
        }
        return scope.writer(autoFlush = false) {
            val buffer = ByteArray(8192)
            var total = 0L
            while (true) {
                val n = body.readAvailable(buffer, 0, buffer.size)
                if (n == -1) break
                total += n
                if (total > max) throw PayloadTooLargeException(max)
                channel.writeFully(buffer, 0, n)
                channel.flush()
            }
        }.channel
    }
}
