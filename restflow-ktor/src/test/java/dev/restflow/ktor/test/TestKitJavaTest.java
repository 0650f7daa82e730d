package dev.restflow.ktor.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.restflow.ktor.RestflowContext;
import dev.restflow.ktor.auth.TokenPair;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jetbrains.exposed.v1.jdbc.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestKitJavaTest {
    private Database db;
    private RestflowTestServer server;

    // region java-test-kit
    @BeforeEach
    void start() {
        db = TestKitFixture.newDatabase();
        server = RestflowTestServer.start(app -> TestKitFixture.module(app, db));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void obtainTokenAndWithTokenAuthenticateThroughTheApp() {
        TestHttpClient client = server.client();
        TokenPair tokens = client.obtainToken("alice", "alice-pass");
        TestResponse me = client.withToken(tokens.getAccess()).get("/api/me");
        assertEquals(200, me.status());
        assertEquals("alice", me.body());
        assertEquals(401, client.get("/api/me").status());
        assertThrows(AssertionError.class, () -> client.obtainToken("alice", "wrong"));
    }
    // endregion

    @Test
    void forceAuthenticateNeedsNoCredentials() {
        assertEquals("ghost", server.client().forceAuthenticate(TestKitFixture.ghost()).get("/api/me").body());
    }

    @Test
    void theTestClockExpiresTokens() {
        assertSame(server.clock(), RestflowContext.of(server.application()).getClock());
        TestHttpClient alice = server.client().withToken(server.client().obtainToken("alice", "alice-pass").getAccess());
        assertEquals(200, alice.get("/api/me").status());
        server.clock().advance(Duration.ofMinutes(6));
        assertEquals(401, alice.get("/api/me").status());
    }

    @Test
    void cacheAssertions() {
        TestHttpClient client = server.client();
        client.get("/cached").assertCacheMiss();
        TestResponse hit = client.get("/cached").assertCacheHit();
        assertEquals("HIT", hit.cacheStatus());
        assertThrows(AssertionError.class, hit::assertCacheMiss);
    }

    @Test
    void captureQueriesCountsStatements() {
        TestHttpClient client = server.client();
        client.get("/notes/count");
        CapturedQueries queries = CapturedQueries.capture(db, () -> client.get("/notes/count"));
        queries.assertCount(1);
        try (CapturedQueries open = CapturedQueries.start(db)) {
            client.get("/notes/count");
            client.get("/notes/count");
            assertEquals(2, open.getCount());
        }
    }

    @Test
    void awaitInvalidationWaitsForTheDrain() {
        AtomicBoolean drained = new AtomicBoolean();
        Drainable slow = () -> CompletableFuture.runAsync(() -> drained.set(true));
        Invalidations.await(slow, () -> server.client().get("/notes/count"));
        assertTrue(drained.get());
        Invalidations.await(Drainable.INLINE, Duration.ofSeconds(1), () -> { });
        assertThrows(AssertionError.class, () -> Invalidations.await(CompletableFuture::new, Duration.ofMillis(50), () -> { }));
    }
}
