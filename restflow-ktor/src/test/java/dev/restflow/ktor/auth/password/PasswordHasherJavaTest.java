package dev.restflow.ktor.auth.password;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHasherJavaTest {
    @Test
    void passwordsAreHashedAndCheckedFromJava() {
        PasswordHasher hasher = new Pbkdf2PasswordHasher(1000);
        String encoded = hasher.hash("s3cret");
        assertTrue(hasher.verify("s3cret", encoded));
        assertFalse(hasher.verify("other", encoded));
    }
}
