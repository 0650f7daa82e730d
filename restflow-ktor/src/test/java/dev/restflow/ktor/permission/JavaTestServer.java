package dev.restflow.ktor.permission;

import dev.restflow.ktor.RestflowConfig;
import dev.restflow.ktor.RestflowContext;
import io.ktor.server.application.Application;
import io.ktor.server.engine.EmbeddedServer;
import io.ktor.server.engine.EmbeddedServerKt;
import io.ktor.server.netty.Netty;
import io.ktor.server.routing.Routing;
import io.ktor.server.routing.RoutingRootKt;
import kotlin.Unit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** A Netty server configured from Java on a free loopback port, and a blocking HTTP client for it. */
public final class JavaTestServer implements AutoCloseable {
    private final EmbeddedServer<?, ?> server;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** Installs Restflow with [restflow], then lets [setup] configure the application and its routing. */
    public JavaTestServer(Consumer<RestflowConfig> restflow, BiConsumer<Application, Routing> setup) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = EmbeddedServerKt.embeddedServer(Netty.INSTANCE, port, "127.0.0.1", List.<String>of(), (app, continuation) -> {
            RestflowContext.install(app, config -> restflow.accept(config.readApplicationConfig(false)));
            RoutingRootKt.routing(app, routing -> {
                setup.accept(app, routing);
                return Unit.INSTANCE;
            });
            return Unit.INSTANCE;
        });
        server.start(false);
    }

    /** Sends GET [path] with header name/value pairs. */
    public HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(100, 1000);
    }
}
