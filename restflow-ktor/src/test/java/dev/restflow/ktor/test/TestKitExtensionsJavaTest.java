package dev.restflow.ktor.test;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.restflow.testing.PostgresDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.jetbrains.exposed.v1.jdbc.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

// region java-extensions
@ExtendWith(RestflowServicesExtension.class)
class TestKitExtensionsJavaTest {
    private static final Database H2 = TestKitFixture.newDatabase();

    @RegisterExtension
    static final ExposedRollback ROLLBACK = new ExposedRollback(H2);
// endregion

    @Test
    void postgresAndRedisAreInjected(PostgresDatabase pg, TestRedis redis) throws Exception {
        try (Connection c = pg.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
        try (RestflowTestServer server = RestflowTestServer.start(app -> TestKitFixture.module(app, H2, redis.getUri()))) {
            String path = "/cached?run=" + java.util.UUID.randomUUID(); // the shared Redis outlives this test
            server.client().get(path).assertCacheMiss();
            server.client().get(path).assertCacheHit();
        }
    }

    @Test
    void writesAreRolledBackAfterEachTestA() {
        assertEquals(1, JavaNotes.insertAndCount(H2));
    }

    @Test
    void writesAreRolledBackAfterEachTestB() {
        assertEquals(1, JavaNotes.insertAndCount(H2));
    }
}
