package dev.restflow.ktor;

import dev.restflow.ktor.error.ApiException;
import io.ktor.server.application.Application;
import io.ktor.server.engine.EmbeddedServer;
import io.ktor.server.engine.EmbeddedServerKt;
import io.ktor.server.netty.Netty;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.jvm.functions.Function2;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class RestflowInstallJavaTest {
    static class OutOfStock extends RuntimeException {
    }

    @Test
    void restflowIsInstalledFromJavaAndAnswersTheEnvelopeOverHttp() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        AtomicReference<RestflowContext> context = new AtomicReference<>();
        // A Ktor module is a suspend function; from Java it is a Function2 that completes without suspending.
        Function2<Application, Continuation<? super Unit>, Object> module = (app, continuation) -> {
                    context.set(RestflowContext.install(app, config -> {
                        config.settings(s -> s.getPagination().setPageSize(33));
                        config.errors().exception(OutOfStock.class, e -> ApiException.conflict("Out of stock."));
                    }));
                    return Unit.INSTANCE;
                };
        EmbeddedServer<?, ?> server = EmbeddedServerKt.embeddedServer(Netty.INSTANCE, port, "127.0.0.1", List.<String>of(), module);
        server.start(false);
        try {
            assertEquals(33, context.get().getSettings().getPagination().getPageSize());
            assertEquals(33, RestflowContext.of(server.getApplication()).getSettings().getPagination().getPageSize());

            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/missing")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, response.statusCode());
            assertEquals("{\"error\":{\"code\":\"not_found\",\"message\":\"Not found.\",\"details\":{}}}", response.body());
            assertNotNull(response.headers().firstValue("X-Request-Id").orElse(null));
        } finally {
            server.stop(100, 1000);
        }
    }
}
