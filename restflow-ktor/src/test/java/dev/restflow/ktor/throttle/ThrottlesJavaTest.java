package dev.restflow.ktor.throttle;

import dev.restflow.ktor.permission.JavaTestServer;
import dev.restflow.ktor.settings.ThrottleRate;
import dev.restflow.ktor.view.RestflowRoutes;
import io.ktor.http.HttpMethod;
import io.ktor.server.routing.Route;
import io.ktor.server.routing.RoutingBuilderKt;
import kotlin.Unit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Throttles built and installed from Java; rates of a few calls a day, so no clock moves during a test. */
class ThrottlesJavaTest {
    private JavaTestServer server;

    private static void throttled(Route parent, String path, Throttle... throttles) {
        RoutingBuilderKt.route(parent, path, route -> {
            ThrottlesKt.throttles(route, throttles);
            RestflowRoutes.handle(route, HttpMethod.Companion.getGet(), "/x", call -> call.respondJson("{\"ok\":true}"));
            return Unit.INSTANCE;
        });
    }

    @BeforeEach
    void start() {
        // region java-throttles
        server = new JavaTestServer(
                config -> config.settings(s -> s.getThrottle().rate("anon", "2/day").rate("burst", "1/day")),
                (app, routing) -> {
                    throttled(routing, "/anon", new AnonRateThrottle());
                    throttled(routing, "/user", new UserRateThrottle(ThrottleRate.parse("3/day")));
                    throttled(routing, "/scoped", new ScopedRateThrottle("burst"), new ScopedRateThrottle("daily", ThrottleRate.parse("2/hour")));
                    throttled(routing, "/custom", Throttle.async(call -> CompletableFuture.completedFuture(
                            "slow-down".equals(call.getRequest().getHeaders().get("X-Hint"))
                                    ? ThrottleDecision.denied(Duration.ofSeconds(42))
                                    : ThrottleDecision.ALLOWED)));
                });
        // endregion
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int status(String path) {
        return server.get(path).statusCode();
    }

    @Test
    void theCallAfterTheConfiguredRateIsRefusedWithRetryAfter() {
        assertEquals(200, status("/anon/x"));
        assertEquals(200, status("/anon/x"));
        HttpResponse<String> refused = server.get("/anon/x");
        assertEquals(429, refused.statusCode());
        assertEquals("43200", refused.headers().firstValue("Retry-After").orElse(null), "2/day: one call every 12 hours");
        assertEquals("{\"error\":{\"code\":\"throttled\",\"message\":\"Request was throttled. Expected available in 43200 seconds.\","
                + "\"details\":{\"retry_after_seconds\":43200}}}", refused.body());
    }

    @Test
    void anExplicitRateOverridesSettings() {
        assertEquals(200, status("/user/x"));
        assertEquals(200, status("/user/x"));
        assertEquals(200, status("/user/x"));
        assertEquals(429, status("/user/x"));
    }

    @Test
    void everyThrottleCountsAndTheLongestWaitIsReported() {
        assertEquals(200, status("/scoped/x"));
        HttpResponse<String> refused = server.get("/scoped/x");
        assertEquals(429, refused.statusCode());
        assertEquals("86400", refused.headers().firstValue("Retry-After").orElse(null), "burst (1/day) outweighs daily (2/hour, still open)");
    }

    @Test
    void aThrottleWrittenInJavaDecides() {
        assertEquals(200, status("/custom/x"));
        HttpResponse<String> refused = server.get("/custom/x", "X-Hint", "slow-down");
        assertEquals(429, refused.statusCode());
        assertEquals("42", refused.headers().firstValue("Retry-After").orElse(null));
        assertTrue(refused.body().contains("\"retry_after_seconds\":42"), refused.body());
    }
}
