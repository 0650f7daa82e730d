package dev.restflow.ktor.view;

import dev.restflow.exposed.pagination.Paginators;
import dev.restflow.ktor.RestflowContext;
import dev.restflow.ktor.permission.Permission;
import dev.restflow.ktor.error.ApiException;
import dev.restflow.ktor.serializer.TableSerializer;
import dev.restflow.ktor.serializer.TableSerializers;
import io.ktor.http.HttpMethod;
import io.ktor.server.engine.EmbeddedServer;
import io.ktor.server.engine.EmbeddedServerKt;
import io.ktor.server.netty.Netty;
import io.ktor.server.routing.RoutingRootKt;
import kotlin.Unit;
import org.jetbrains.exposed.v1.jdbc.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A read-only viewset and a blocking handler declared from Java, served by Netty and called over real HTTP. */
class ViewSetJavaTest {
    private final Database db = ShelvesFixture.database("fiction", "science");
    private EmbeddedServer<?, ?> server;
    private int port;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        DatabaseAccess access = new DatabaseAccess(db, DatabaseAccess.DEFAULT_DISPATCHER);
        // region java-viewset
        TableSerializer shelves = TableSerializers.forTable(Shelves.INSTANCE)
                .rename(Shelves.INSTANCE.getName(), "title")
                .validate(Shelves.INSTANCE.getName(), rules -> rules.length(new kotlin.ranges.IntRange(2, 50)))
                .build();
        ViewSetSpec spec = ViewSetSpec.builder(Shelves.INSTANCE)
                .readOnly()
                .serializer(shelves)
                .pagination(Paginators.pageNumber(10, 50))
                .permissions(Permission.blocking(call -> !"deny".equals(call.getRequest().getHeaders().get("X-Allow")),
                        "Denied from Java.", "permission_denied"))
                .database(access)
                .guard(call -> {
                    if ("no".equals(call.getRequest().getHeaders().get("X-Allow"))) throw ApiException.permissionDenied();
                })
                .action("names", false, HttpMethod.Companion.getGet(), javaCall -> {
                    List<String> names = javaCall.transaction(tx -> ShelvesFixture.names());
                    javaCall.respondJson("[\"" + String.join("\",\"", names) + "\"]", 200);
                })
                .build();
        server = EmbeddedServerKt.embeddedServer(Netty.INSTANCE, port, "127.0.0.1", List.<String>of(), (app, continuation) -> {
            RestflowContext.install(app);
            RoutingRootKt.routing(app, routing -> {
                RestflowRoutes.viewSet(routing, "/shelves", spec);
                RestflowRoutes.viewSet(routing, "/entity-shelves", ViewSetSpec.builder(Shelf.Companion)
                        .database(access)
                        .afterCreate(ctx -> ((Shelf) ctx.getEntity()).setName("java " + ((Shelf) ctx.getEntity()).getName()))
                        .build());
                RestflowRoutes.handle(routing, HttpMethod.Companion.getGet(), "/hello", javaCall ->
                        javaCall.respondJson("{\"hello\":\"" + javaCall.queryParameter("name") + "\"}", 200), access);
                return Unit.INSTANCE;
            });
            return Unit.INSTANCE;
        });
        // endregion
        server.start(false);
    }

    @AfterEach
    void stop() {
        server.stop(0, 5, TimeUnit.SECONDS);
    }

    private HttpResponse<String> send(String method, String path, String header) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (header != null) request.header("X-Allow", header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aReadOnlyViewsetDeclaredInJavaServesListAndRetrieveOverHttp() throws Exception {
        HttpResponse<String> list = send("GET", "/shelves", null);
        assertEquals(200, list.statusCode());
        assertEquals("{\"count\":2,\"next\":null,\"previous\":null,\"results\":[{\"id\":1,\"title\":\"fiction\"},{\"id\":2,\"title\":\"science\"}]}", list.body());
        assertEquals("{\"id\":2,\"title\":\"science\"}", send("GET", "/shelves/2", null).body());
        assertEquals("{\"count\":2,\"next\":\"http://127.0.0.1:" + port + "/shelves?page_size=1&page=2\",\"previous\":null,"
                + "\"results\":[{\"id\":1,\"title\":\"fiction\"}]}", send("GET", "/shelves?page_size=1", null).body());
        assertEquals(404, send("GET", "/shelves/x", null).statusCode());

        HttpResponse<String> post = send("POST", "/shelves", null);
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD, OPTIONS", post.headers().firstValue("Allow").orElseThrow());
        assertEquals(403, send("GET", "/shelves", "no").statusCode());
        HttpResponse<String> denied = send("GET", "/shelves", "deny");
        assertEquals(403, denied.statusCode());
        assertTrue(denied.body().contains("Denied from Java."), denied.body());
    }

    @Test
    void aViewsetOverAnEntityClassWritesThroughTheEntityAndItsHooksSeeIt() throws Exception {
        HttpRequest create = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/entity-shelves"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"maps\"}")).build();
        HttpResponse<String> created = http.send(create, HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode());
        assertEquals("{\"id\":3,\"name\":\"java maps\"}", send("GET", "/entity-shelves/3", null).body());
        assertEquals(204, send("DELETE", "/entity-shelves/3", null).statusCode());
        assertEquals(404, send("GET", "/entity-shelves/3", null).statusCode());
    }

    @Test
    void blockingJavaHandlersAnswerThroughJavaCall() throws Exception {
        assertEquals("[\"fiction\",\"science\"]", send("GET", "/shelves/names", null).body());
        assertEquals("{\"hello\":\"Ada\"}", send("GET", "/hello?name=Ada", null).body());
    }
}
