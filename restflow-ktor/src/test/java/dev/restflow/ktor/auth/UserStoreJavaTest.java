package dev.restflow.ktor.auth;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class UserStoreJavaTest {
    record JavaUser(String getId, String getUsername, String getPasswordHash, boolean isActive, boolean isStaff) implements AuthUser {
    }

    /** Built from Java lookups; its behaviour is checked from Kotlin in UserStoreFacadeTest. */
    static UserStore javaStore() {
        Map<String, AuthUser> users = Map.of("7", new JavaUser("7", "dora", "pbkdf2_sha256$1$s$h", true, true));
        return UserStore.of(
                id -> CompletableFuture.completedFuture(users.get(id)),
                name -> CompletableFuture.supplyAsync(() -> users.values().stream()
                        .filter(u -> u.getUsername().equals(name)).findFirst().orElse(null)));
    }

    @Test
    void revokeFingerprintsChangeWithThePasswordHash() {
        assertEquals(32, RevokeFingerprint.of("a").length());
        assertNotEquals(RevokeFingerprint.of("a"), RevokeFingerprint.of("b"));
        assertEquals(RevokeFingerprint.of(null), RevokeFingerprint.of(""));
    }
}
