package dev.restflow.ktor.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.restflow.ktor.RestflowContext;
import dev.restflow.ktor.view.DatabaseAccess;
import dev.restflow.ktor.view.RestflowRoutes;
import dev.restflow.ktor.view.Shelves;
import dev.restflow.ktor.view.ViewSetSpec;
import io.ktor.http.HttpMethod;
import io.ktor.server.application.Application;
import io.ktor.server.engine.EmbeddedServer;
import io.ktor.server.engine.EmbeddedServerKt;
import io.ktor.server.netty.Netty;
import io.ktor.server.routing.PathSegmentConstantRouteSelector;
import io.ktor.server.routing.Route;
import io.ktor.server.routing.RoutingRootKt;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kotlin.Unit;
import org.jetbrains.exposed.v1.jdbc.Database;
import org.junit.jupiter.api.Test;

/** The OpenAPI facade from Java: install, add to operations, describe and hide routes, read JSON and YAML. */
class OpenApiJavaTest {
    @Test
    void theDocumentIsConfiguredAndDescribedFromJava() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Database db = OpenApiTestApp.INSTANCE.database();
        DatabaseAccess access = new DatabaseAccess(db, DatabaseAccess.DEFAULT_DISPATCHER);
        EmbeddedServer<?, ?> server = EmbeddedServerKt.embeddedServer(Netty.INSTANCE, port, "127.0.0.1", List.<String>of(), (app, continuation) -> {
            RestflowContext.install(app);
            // region java-install
            OpenApi.install(app, config -> {
                config.title("Java API").version("3.0.0").server("https://java.example", "production");
                OpenApi.operation(config, "shelves_list", op -> op.summary("All shelves, from Java"));
            });
            RoutingRootKt.routing(app, routing -> {
                RestflowRoutes.viewSet(routing, "/shelves", ViewSetSpec.builder(Shelves.INSTANCE).readOnly().database(access).build());
                RestflowRoutes.handle(routing, HttpMethod.Companion.getGet(), "/ping", call -> call.respondJson("\"pong\"", 200));
                RestflowRoutes.handle(routing, HttpMethod.Companion.getGet(), "/hidden", call -> call.respondJson("{}", 200));
                for (Route child : routing.getChildren()) {
                    String segment = child.getSelector() instanceof PathSegmentConstantRouteSelector constant ? constant.getValue() : "";
                    if (segment.equals("ping")) OpenApi.describe(child, op -> op.summary("Ping").tags("health").errors(429));
                    if (segment.equals("hidden")) OpenApi.hide(child);
                }
                return Unit.INSTANCE;
            });
            // endregion
            return Unit.INSTANCE;
        });
        server.start(false);
        try {
            Application app = server.getApplication();
            for (String text : List.of(OpenApi.json(app), OpenApi.yaml(app))) {
                SwaggerParseResult result = new OpenAPIV3Parser().readContents(text, null, new ParseOptions());
                assertEquals(List.of(), result.getMessages() == null ? List.of() : result.getMessages());
                OpenAPI api = result.getOpenAPI();
                assertEquals("Java API", api.getInfo().getTitle());
                assertEquals("https://java.example", api.getServers().get(0).getUrl());
                assertEquals("All shelves, from Java", api.getPaths().get("/shelves").getGet().getSummary());
                assertEquals("Ping", api.getPaths().get("/ping").getGet().getSummary());
                assertTrue(api.getPaths().get("/ping").getGet().getResponses().containsKey("429"));
                assertFalse(api.getPaths().containsKey("/hidden"));
            }
        } finally {
            server.stop(0, 5, TimeUnit.SECONDS);
        }
    }
}
