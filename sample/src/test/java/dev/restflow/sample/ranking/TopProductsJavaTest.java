package dev.restflow.sample.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.restflow.ktor.test.RestflowTestServer;
import dev.restflow.ktor.test.TestHttpClient;
import dev.restflow.ktor.test.TestResponse;
import dev.restflow.sample.SampleConfig;
import dev.restflow.sample.ShopModuleKt;
import dev.restflow.sample.database.ShopDatabase;
import dev.restflow.sample.database.ShopSchema;
import dev.restflow.sample.seed.Seeder;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import kotlinx.serialization.json.JsonElementKt;
import kotlinx.serialization.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java route from Java, through the test kit: cached per limit, dropped by a review, bad limits are 400s (H2). */
class TopProductsJavaTest {
    @TempDir
    Path dir;

    private ShopDatabase database;
    private RestflowTestServer server;

    @BeforeEach
    void start() {
        SampleConfig config = SampleConfig.Companion.fromEnvironment(
                Map.of("RESTFLOW_THROTTLE_AUTH", "1000/min"), dir, new SecureRandom());
        database = ShopDatabase.Companion.open(config, 4);
        ShopSchema.INSTANCE.create(database);
        Seeder.INSTANCE.seedIfEmpty(database, config.getSeedProducts());
        server = RestflowTestServer.start(app -> ShopModuleKt.shopModule(app, config, database));
    }

    @AfterEach
    void stop() {
        server.close();
        database.close();
    }

    @Test
    void theRankingIsCachedPerLimitAndAReviewDropsIt() {
        TestHttpClient client = server.client();
        TestResponse first = client.get("/api/java/top-products?limit=5").assertCacheMiss();
        assertEquals(200, first.status());
        assertEquals(first.body(), client.get("/api/java/top-products?limit=5").assertCacheHit().body());
        client.get("/api/java/top-products?limit=6").assertCacheMiss();

        TestHttpClient bob = client.withToken(client.obtainToken("bob", "bob-pass").getAccess());
        TestResponse created = bob.post("/api/products", "{\"name\":\"Java lamp\",\"price\":\"7.25\",\"stock\":1,\"category\":1}");
        assertEquals(201, created.status(), created.body());
        String id = JsonElementKt.getJsonPrimitive(
                ((JsonObject) created.json()).get("id")).getContent();
        client.get("/api/java/top-products?limit=5").assertCacheHit(); // a new product has no review: nothing dropped

        TestResponse review = bob.post("/api/reviews", "{\"product\":" + id + ",\"rating\":5,\"comment\":\"bright\"}");
        assertEquals(201, review.status(), review.body());
        TestResponse after = client.get("/api/java/top-products?limit=100").assertCacheMiss();
        assertEquals(true, after.body().contains("\"name\":\"Java lamp\",\"price\":\"7.25\",\"average_rating\":\"5.00\",\"review_count\":1"),
                after.body());
        client.get("/api/java/top-products?limit=5").assertCacheMiss();
    }

    @Test
    void aBadLimitIsAValidationError() {
        TestResponse response = server.client().get("/api/java/top-products?limit=abc");
        assertEquals(400, response.status());
        assertEquals("{\"error\":{\"code\":\"validation_error\",\"message\":\"Request validation failed.\","
                + "\"details\":{\"limit\":[\"A valid integer is required.\"]}}}", response.body());
    }
}
