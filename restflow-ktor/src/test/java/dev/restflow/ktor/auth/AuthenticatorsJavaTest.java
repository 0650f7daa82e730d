package dev.restflow.ktor.auth;

import dev.restflow.ktor.RestflowContext;
import dev.restflow.ktor.auth.jwt.TokenType;
import dev.restflow.ktor.auth.password.Pbkdf2PasswordHasher;
import dev.restflow.ktor.permission.IsAdminUser;
import dev.restflow.ktor.permission.JavaTestServer;
import dev.restflow.ktor.permission.PermissionsKt;
import dev.restflow.ktor.view.JavaCall;
import dev.restflow.ktor.view.RestflowRoutes;
import io.ktor.http.CookieEncoding;
import io.ktor.http.HttpMethod;
import io.ktor.server.application.Application;
import io.ktor.server.routing.Route;
import io.ktor.server.routing.RoutingBuilderKt;
import kotlin.Unit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Basic, Token, session, remote-user and JWT providers registered from Java through RestflowAuthentication. */
class AuthenticatorsJavaTest {
    record JavaUser(String getId, String getUsername, String getPasswordHash, boolean isActive, boolean isStaff) implements AuthUser {
    }

    private static final Pbkdf2PasswordHasher HASHER = new Pbkdf2PasswordHasher(1);
    private static final Map<String, JavaUser> USERS = Map.of(
            "1", new JavaUser("1", "alice", HASHER.hash("alice-pass"), true, false),
            "2", new JavaUser("2", "bob", HASHER.hash("bob-pass"), true, false),
            "3", new JavaUser("3", "ann", HASHER.hash("ann-pass"), true, true),
            "4", new JavaUser("4", "carol", HASHER.hash("carol-pass"), false, false));
    /** Server-side sessions: cookie value → user id. */
    private static final Map<String, String> SESSIONS = Map.of("s-bob", "2", "s-carol", "4");

    private final AtomicReference<Application> application = new AtomicReference<>();
    private JavaTestServer server;

    private static AuthUser byName(String name) {
        return USERS.values().stream().filter(u -> u.getUsername().equals(name)).findFirst().orElse(null);
    }

    private static void whoAmI(JavaCall call) {
        RestflowPrincipal principal = RestflowAuthentication.principal(call.getCall());
        call.respondJson("{\"user\":\"" + principal.getUser().getUsername() + "\"}");
    }

    private static void protectedRoute(Route routing, String path, boolean optional, String... providers) {
        RestflowAuthentication.authenticate(routing, Arrays.asList(providers), optional,
                route -> RestflowRoutes.handle(route, HttpMethod.Companion.getGet(), path, AuthenticatorsJavaTest::whoAmI));
    }

    @BeforeEach
    void start() {
        UserStore users = UserStore.of(
                id -> CompletableFuture.completedFuture(USERS.get(id)),
                name -> CompletableFuture.completedFuture(byName(name)));
        server = new JavaTestServer(
                config -> config.settings(s -> s.getJwt().setSigningKey("a-java-test-secret-of-at-least-32-bytes!")),
                (app, routing) -> {
                    application.set(app);
                    // region java-authenticators
                    RestflowAuthentication.install(app, auth -> {
                        RestflowAuthentication.jwt(auth, "jwt", c -> c.setUserStore(users));
                        RestflowAuthentication.basic(auth, "basic", c -> {
                            c.setUserStore(users);
                            c.setHasher(HASHER);
                            c.setRealm("shop");
                        });
                        RestflowAuthentication.token(auth, "token", c -> c.setLookup(ApiTokenLookup.of(
                                key -> CompletableFuture.completedFuture(key.equals("k-alice") ? USERS.get("1") : null))));
                        RestflowAuthentication.session(auth, "session", c -> {
                            c.setUserStore(users);
                            c.userIdBlocking(call -> SESSIONS.get(call.getRequest().getCookies().get("sid", CookieEncoding.URI_ENCODING)));
                        });
                        RestflowAuthentication.session(auth, "session-async", c -> {
                            c.setUserStore(users);
                            c.userIdAsync(call -> CompletableFuture.supplyAsync(() -> SESSIONS.get(call.getRequest().getHeaders().get("X-Session"))));
                        });
                        RestflowAuthentication.remoteUser(auth, "remote", c -> {
                            c.setUserStore(users);
                            c.setTrustedProxies(List.of("127.0.0.1", "::1"));
                        });
                    });
                    protectedRoute(routing, "/me", false, "jwt", "basic", "token", "session", "remote");
                    // endregion
                    protectedRoute(routing, "/basic", false, "basic");
                    protectedRoute(routing, "/token", false, "token");
                    protectedRoute(routing, "/session", false, "session");
                    protectedRoute(routing, "/session-async", false, "session-async");
                    RestflowAuthentication.authenticate(routing, Arrays.asList("jwt", "basic"), true, route ->
                            RoutingBuilderKt.route(route, "/admin", admin -> {
                                PermissionsKt.permissions(admin, IsAdminUser.INSTANCE);
                                RestflowRoutes.handle(admin, HttpMethod.Companion.getGet(), "/x", AuthenticatorsJavaTest::whoAmI);
                                return Unit.INSTANCE;
                            }));
                });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private String bearer(String userId) {
        return "Bearer " + RestflowContext.of(application.get()).getJwt().issue(TokenType.ACCESS, userId).getToken();
    }

    @Test
    void everyProviderAuthenticatesAndTheFirstSuccessWins() {
        assertEquals("{\"user\":\"bob\"}", server.get("/me", "Authorization", bearer("2")).body());
        assertEquals("{\"user\":\"alice\"}", server.get("/me", "Authorization", basic("alice", "alice-pass")).body());
        assertEquals("{\"user\":\"alice\"}", server.get("/me", "Authorization", "token k-alice").body());
        assertEquals("{\"user\":\"bob\"}", server.get("/me", "Cookie", "sid=s-bob").body());
        assertEquals("{\"user\":\"alice\"}", server.get("/me", "X-Remote-User", "alice").body());
        assertEquals("{\"user\":\"bob\"}", server.get("/session-async", "X-Session", "s-bob").body());
        HttpResponse<String> anonymous = server.get("/me");
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.body().contains("\"code\":\"not_authenticated\""), anonymous.body());
    }

    @Test
    void refusalsUseDrfMessagesAndEachProvidersChallenge() {
        HttpResponse<String> basic = server.get("/basic", "Authorization", basic("alice", "wrong"));
        assertEquals(401, basic.statusCode());
        assertTrue(basic.body().contains("Invalid username/password."), basic.body());
        assertEquals("Basic realm=\"shop\", charset=\"UTF-8\"", basic.headers().firstValue("WWW-Authenticate").orElse(null));

        HttpResponse<String> token = server.get("/token", "Authorization", "Token nope");
        assertEquals(401, token.statusCode());
        assertTrue(token.body().contains("Invalid token."), token.body());
        assertEquals("Token", token.headers().firstValue("WWW-Authenticate").orElse(null));

        HttpResponse<String> inactive = server.get("/session", "Cookie", "sid=s-carol");
        assertEquals(401, inactive.statusCode());
        assertTrue(inactive.body().contains("User inactive or deleted."), inactive.body());
        assertEquals("Session", inactive.headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals(401, server.get("/session-async", "X-Session", "s-unknown").statusCode());
    }

    @Test
    void permissionsSeeThePrincipalOfJavaProviders() {
        HttpResponse<String> anonymous = server.get("/admin/x");
        assertEquals(401, anonymous.statusCode());
        assertEquals("Bearer realm=\"restflow\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(null));
        HttpResponse<String> notStaff = server.get("/admin/x", "Authorization", basic("alice", "alice-pass"));
        assertEquals(403, notStaff.statusCode());
        assertTrue(notStaff.body().contains("\"code\":\"permission_denied\""), notStaff.body());
        assertEquals("{\"user\":\"ann\"}", server.get("/admin/x", "Authorization", bearer("3")).body());
    }
}
