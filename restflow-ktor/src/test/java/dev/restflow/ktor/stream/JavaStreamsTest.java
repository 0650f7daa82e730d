package dev.restflow.ktor.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.restflow.exposed.stream.RowStreams;
import dev.restflow.ktor.RestflowContext;
import dev.restflow.ktor.serializer.TableSerializer;
import dev.restflow.ktor.serializer.TableSerializers;
import dev.restflow.ktor.test.RestflowTestServer;
import dev.restflow.ktor.test.TestResponse;
import dev.restflow.ktor.view.RestflowRoutes;
import dev.restflow.ktor.view.Shelves;
import dev.restflow.ktor.view.ShelvesFixture;
import io.ktor.http.HttpMethod;
import io.ktor.server.routing.RoutingRootKt;
import java.util.stream.Stream;
import org.jetbrains.exposed.v1.core.SortOrder;
import org.jetbrains.exposed.v1.jdbc.Database;
import org.jetbrains.exposed.v1.jdbc.QueriesKt;
import org.junit.jupiter.api.Test;

class JavaStreamsTest {
    private final Database db = ShelvesFixture.database("fiction", "science");
    private final TableSerializer shelves = TableSerializers.forTable(Shelves.INSTANCE).build();

    private RestflowTestServer server() {
        return RestflowTestServer.start(app -> {
            RestflowContext.install(app, config -> config.readApplicationConfig(false));
            RoutingRootKt.routing(app, routing -> {
                RestflowRoutes.handle(routing, HttpMethod.Companion.getGet(), "/rows", call -> JavaStreams.respondJsonArray(
                    call.getCall(), RowStreams.stream(db, 1, () -> QueriesKt.selectAll(Shelves.INSTANCE).orderBy(Shelves.INSTANCE.getId(), SortOrder.ASC)), shelves));
                // region java-streams
                RestflowRoutes.handle(routing, HttpMethod.Companion.getGet(), "/rows.ndjson", call -> JavaStreams.respondNdjson(
                    call.getCall(), RowStreams.stream(db, () -> QueriesKt.selectAll(Shelves.INSTANCE).orderBy(Shelves.INSTANCE.getId(), SortOrder.ASC)), shelves));
                // endregion
                RestflowRoutes.handle(routing, HttpMethod.Companion.getGet(), "/items", call ->
                    JavaStreams.respondNdjson(call.getCall(), Stream.of("1", "{\"a\":true}")));
                RestflowRoutes.handle(routing, HttpMethod.Companion.getGet(), "/array", call ->
                    JavaStreams.respondJsonArray(call.getCall(), Stream.of("1", "2")));
                RestflowRoutes.handle(routing, HttpMethod.Companion.getGet(), "/events", call ->
                    JavaStreams.respondSse(call.getCall(), last -> Stream.of(new SseEvent("hello"), new SseEvent("after " + last, "note", "7"))));
                return kotlin.Unit.INSTANCE;
            });
        });
    }

    @Test
    void rowsAndItemsStreamFromJava() {
        try (RestflowTestServer server = server()) {
            TestResponse rows = server.client().get("/rows");
            assertEquals("application/json; charset=UTF-8", rows.header("Content-Type"));
            assertEquals("[{\"id\":1,\"name\":\"fiction\"},{\"id\":2,\"name\":\"science\"}]", rows.body());
            assertEquals("{\"id\":1,\"name\":\"fiction\"}\n{\"id\":2,\"name\":\"science\"}\n", server.client().get("/rows.ndjson").body());
            assertEquals("1\n{\"a\":true}\n", server.client().get("/items").body());
            assertEquals("[1,2]", server.client().get("/array").body());
        }
    }

    @Test
    void serverSentEventsFromJava() {
        try (RestflowTestServer server = server()) {
            TestResponse events = server.client().get("/events");
            assertTrue(events.header("Content-Type").startsWith("text/event-stream"));
            assertEquals("data: hello\n\nid: 7\nevent: note\ndata: after null\n\n", events.body());
        }
    }
}
