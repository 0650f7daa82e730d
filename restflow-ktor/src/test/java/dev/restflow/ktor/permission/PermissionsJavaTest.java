package dev.restflow.ktor.permission;

import dev.restflow.ktor.view.RestflowRoutes;
import io.ktor.http.HttpMethod;
import io.ktor.server.routing.Route;
import io.ktor.server.routing.RoutingBuilderKt;
import kotlin.Unit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Permissions written and combined from Java (lambdas, allOf/anyOf/negate and the member and/or/not), over HTTP. */
class PermissionsJavaTest {
    private final AtomicInteger aCalls = new AtomicInteger();
    private final AtomicInteger bCalls = new AtomicInteger();
    private JavaTestServer server;

    // region java-permission
    /** Allows when the request's [header] is "1"; counts its evaluations. */
    private static Permission flag(String header, AtomicInteger calls, String message, String code) {
        return Permission.blocking(call -> {
            calls.incrementAndGet();
            return "1".equals(call.getRequest().getHeaders().get(header));
        }, message, code);
    }

    private static void gated(Route parent, String path, Permission... permissions) {
        RoutingBuilderKt.route(parent, path, route -> {
            PermissionsKt.permissions(route, permissions);
            RestflowRoutes.handle(route, HttpMethod.Companion.getGet(), "/x", call -> call.respondJson("{\"ok\":true}"));
            return Unit.INSTANCE;
        });
    }
    // endregion

    @BeforeEach
    void start() {
        // region java-permissions
        Permission a = flag("X-A", aCalls, "A says no.", "a_denied");
        Permission b = flag("X-B", bCalls, "B says no.", "b_denied");
        Permission fromFuture = Permission.async(
                call -> CompletableFuture.supplyAsync(() -> call.getRequest().getHeaders().get("X-Key") != null));
        server = new JavaTestServer(config -> { }, (app, routing) -> {
            gated(routing, "/all", Permission.allOf(a, b));
            gated(routing, "/any", Permission.anyOf(a, b));
            gated(routing, "/none", Permission.negate(a));
            gated(routing, "/members", a.and(b.or(a.not())));
            gated(routing, "/future", fromFuture);
            gated(routing, "/signed-in", IsAuthenticated.INSTANCE);
        });
        // endregion
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> call(String path, boolean a, boolean b) {
        aCalls.set(0);
        bCalls.set(0);
        return server.get(path + "/x", "X-A", a ? "1" : "0", "X-B", b ? "1" : "0");
    }

    @Test
    void allOfFollowsItsTruthTableShortCircuitsAndReportsTheDenyingSide() {
        boolean[] values = {true, false};
        for (boolean a : values) {
            for (boolean b : values) {
                HttpResponse<String> response = call("/all", a, b);
                assertEquals(a && b ? 200 : 403, response.statusCode(), a + " and " + b);
                assertEquals(1, aCalls.get());
                assertEquals(a ? 1 : 0, bCalls.get(), "B is skipped when A denies");
                if (!a) assertTrue(response.body().contains("\"code\":\"a_denied\",\"message\":\"A says no.\""), response.body());
                if (a && !b) assertTrue(response.body().contains("\"code\":\"b_denied\""), response.body());
            }
        }
    }

    @Test
    void anyOfFollowsItsTruthTableAndShortCircuits() {
        boolean[] values = {true, false};
        for (boolean a : values) {
            for (boolean b : values) {
                HttpResponse<String> response = call("/any", a, b);
                assertEquals(a || b ? 200 : 403, response.statusCode(), a + " or " + b);
                assertEquals(1, aCalls.get());
                assertEquals(a ? 0 : 1, bCalls.get(), "B is skipped when A allows");
                if (!a && !b) assertTrue(response.body().contains("\"code\":\"b_denied\""), response.body());
            }
        }
    }

    @Test
    void negateAndTheMemberOperatorsWorkFromJava() {
        assertEquals(403, call("/none", true, false).statusCode());
        assertEquals(200, call("/none", false, false).statusCode());
        // a and (b or not a): true only when a and b
        assertEquals(200, call("/members", true, true).statusCode());
        assertEquals(403, call("/members", true, false).statusCode());
        assertEquals(403, call("/members", false, true).statusCode());
        assertEquals(0, bCalls.get(), "the right side of and is skipped");
    }

    @Test
    void anAsyncPermissionIsAwaited() {
        assertEquals(200, server.get("/future/x", "X-Key", "k").statusCode());
        HttpResponse<String> denied = server.get("/future/x");
        assertEquals(403, denied.statusCode());
        assertEquals("{\"error\":{\"code\":\"permission_denied\",\"message\":\"You do not have permission to perform this action.\",\"details\":{}}}",
                denied.body());
    }

    @Test
    void anAnonymousCallerIsDeniedWith403WhenNoChallengeIsAvailable() {
        HttpResponse<String> response = server.get("/signed-in/x");
        assertEquals(403, response.statusCode());
        assertTrue(response.headers().firstValue("WWW-Authenticate").isEmpty());
    }

    @Test
    void anAnonymousCallerIsAskedToAuthenticateWhenJwtIsConfigured() {
        try (JavaTestServer withJwt = new JavaTestServer(
                config -> config.settings(s -> s.getJwt().setSigningKey("a-java-test-secret-of-at-least-32-bytes!")),
                (app, routing) -> gated(routing, "/signed-in", IsAuthenticated.INSTANCE))) {
            HttpResponse<String> response = withJwt.get("/signed-in/x");
            assertEquals(401, response.statusCode());
            assertEquals("Bearer realm=\"restflow\"", response.headers().firstValue("WWW-Authenticate").orElse(null));
            assertTrue(response.body().contains("\"code\":\"not_authenticated\""), response.body());
        }
    }
}
