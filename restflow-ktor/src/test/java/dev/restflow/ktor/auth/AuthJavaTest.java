package dev.restflow.ktor.auth;

import dev.restflow.ktor.RestflowContext;
import dev.restflow.ktor.auth.blacklist.TokenBlacklists;
import dev.restflow.ktor.auth.jwt.TokenType;
import dev.restflow.ktor.auth.jwt.TokenVerification;
import dev.restflow.ktor.auth.password.BcryptPasswordHasher;
import dev.restflow.ktor.auth.password.Pbkdf2PasswordHasher;
import dev.restflow.ktor.error.ApiException;
import io.ktor.server.application.Application;
import io.ktor.server.engine.EmbeddedServer;
import io.ktor.server.engine.EmbeddedServerKt;
import io.ktor.server.netty.Netty;
import io.ktor.server.routing.RoutingRootKt;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthJavaTest {
    record JavaUser(String getId, String getUsername, String getPasswordHash, boolean isActive, boolean isStaff) implements AuthUser {
    }

    private static final Pbkdf2PasswordHasher HASHER = new Pbkdf2PasswordHasher(1);
    private static final JavaUser ALICE = new JavaUser("1", "alice", HASHER.hash("alice-pass"), true, false);

    @Test
    void authRoutesAreConfiguredAndTheirLogicCalledFromJava() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        UserStore users = UserStore.of(
                id -> CompletableFuture.completedFuture(id.equals("1") ? ALICE : null),
                name -> CompletableFuture.completedFuture(name.equals("alice") ? ALICE : null));
        AtomicReference<AuthService> service = new AtomicReference<>();
        Function2<Application, Continuation<? super Unit>, Object> module = (app, continuation) -> {
            RestflowContext.install(app, config -> config.readApplicationConfig(false).settings(s -> {
                s.getJwt().setSigningKey("a-java-test-secret-of-at-least-32-bytes!");
                s.getJwt().setBlacklistAllowInMemory(true);
            }));
            // region java-auth-routes
            TokenBlacklists.installTokenBlacklist(app);
            RoutingRootKt.routing(app, routing -> {
                service.set(AuthRoutes.install(routing, "/api/auth", c -> c.userStore(users).hasher(HASHER)));
                return Unit.INSTANCE;
            });
            // endregion
            return Unit.INSTANCE;
        };
        EmbeddedServer<?, ?> server = EmbeddedServerKt.embeddedServer(Netty.INSTANCE, port, "127.0.0.1", List.<String>of(), module);
        server.start(false);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/auth/token"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"alice\",\"password\":\"alice-pass\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("\"refresh\""));

            // region java-auth-service
            TokenPair pair = service.get().obtainAsync("alice", "alice-pass").get();
            TokenVerification verified = RestflowContext.of(server.getApplication()).getJwt().verify(pair.getAccess(), TokenType.ACCESS);
            assertEquals("1", assertInstanceOf(TokenVerification.Valid.class, verified).getToken().getUserId());

            TokenPair rotated = service.get().refreshAsync(pair.getRefresh()).get();
            ExecutionException reuse = assertThrows(ExecutionException.class, () -> service.get().refreshAsync(pair.getRefresh()).get());
            ApiException error = assertInstanceOf(ApiException.class, reuse.getCause());
            assertEquals(401, error.getStatus().getValue());
            assertEquals("Token has been blacklisted.", error.getMessage());
            assertThrows(ExecutionException.class, () -> service.get().refreshAsync(rotated.getRefresh()).get());
            // endregion

            ExecutionException wrong = assertThrows(ExecutionException.class, () -> service.get().obtainAsync("alice", "nope").get());
            assertEquals("No active account found with the given credentials.", wrong.getCause().getMessage());

            TokenPair again = service.get().obtainAsync("alice", "alice-pass").get();
            service.get().blacklistAsync(again.getRefresh()).get();
            service.get().logoutEverywhereAsync("1").get();
            assertThrows(ExecutionException.class, () -> service.get().refreshAsync(again.getRefresh()).get());
        } finally {
            server.stop(100, 1000);
        }
    }

    @Test
    void hashersAndApiKeyLookupsFromJava() throws Exception {
        BcryptPasswordHasher bcrypt = new BcryptPasswordHasher(4);
        String hash = bcrypt.hash("pw");
        assertTrue(bcrypt.verify("pw", hash));
        assertFalse(bcrypt.verify("pw2", hash));
        ApiTokenLookup lookup = ApiTokenLookup.of(key -> CompletableFuture.completedFuture(key.equals("k") ? ALICE : null));
        assertTrue(lookup instanceof ApiTokenLookup);
    }
}
