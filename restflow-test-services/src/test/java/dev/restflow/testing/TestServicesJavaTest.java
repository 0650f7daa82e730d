package dev.restflow.testing;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestServicesJavaTest {
    @Test
    void servicesAreReachableFromJava() throws Exception {
        PostgresDatabase db = TestServices.postgres();
        try (Connection c = db.connect(); ResultSet rs = c.createStatement().executeQuery("select 40 + 2")) {
            assertTrue(rs.next());
            assertEquals(42, rs.getInt(1));
        }
        assertTrue(TestServices.redisUri().startsWith("redis://"));
    }
}
