package dev.restflow.sample.ranking;

import dev.restflow.cache.CacheBackend;
import dev.restflow.cache.function.CacheResult;
import dev.restflow.cache.java.JavaCachedFunction;
import dev.restflow.cache.java.RestflowCache;
import dev.restflow.cache.key.CacheKey;
import dev.restflow.exposed.invalidation.InvalidationRule;
import dev.restflow.exposed.invalidation.InvalidationRuleBuilder;
import dev.restflow.ktor.error.ApiException;
import dev.restflow.ktor.openapi.OpenApi;
import dev.restflow.ktor.view.DatabaseAccess;
import dev.restflow.ktor.view.JavaCall;
import dev.restflow.ktor.view.RestflowRoutes;
import dev.restflow.sample.catalog.Products;
import dev.restflow.sample.reviews.Reviews;
import io.ktor.http.HttpMethod;
import io.ktor.server.routing.Route;
import io.ktor.server.routing.RoutingBuilderKt;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kotlin.Unit;
import kotlinx.serialization.json.Json;
import kotlinx.serialization.json.JsonArray;
import kotlinx.serialization.json.JsonElement;
import kotlinx.serialization.json.JsonElementKt;
import kotlinx.serialization.json.JsonObject;

/**
 * {@code GET /api/java/top-products?limit=N}, written in Java against Restflow's Java facades: the route is a
 * {@link RestflowRoutes#handle blocking handler}, the ranking a {@link JavaCachedFunction} (one entry per limit) and
 * its invalidation two rules declared with {@link InvalidationRuleBuilder#on}.
 *
 * <p>The body is a JSON array of the {@code limit} best-rated products that have at least one review, ordered by
 * average rating (descending), review count (descending), then id: {@code [{"id":7,"name":"…","price":"12.50",
 * "average_rating":"4.50","review_count":2}]}. {@code price} and {@code average_rating} are strings with two decimal
 * places, like every decimal of the shop ({@code average_rating} rounded half up; the ordering uses the exact
 * average). {@code limit} defaults to 10 and must be an integer in 1..100, else 400 {@code validation_error} with
 * details under {@code limit}.
 *
 * <p>Every committed change to reviews or products (through the API, a DAO entity or bulk SQL) drops every cached
 * ranking; {@code X-Cache-Status} tells {@code HIT} or {@code MISS}.
 */
public final class TopProducts {
    /** The cache namespace of the rankings. */
    public static final String CACHE_NAMESPACE = "top-products";
    /** The limit when none is given. */
    public static final int DEFAULT_LIMIT = 10;
    /** The largest limit accepted. */
    public static final int MAX_LIMIT = 100;

    private static final String RANKING_SQL =
            "SELECT p.id, p.name, p.price, SUM(r.rating) AS rating_sum, COUNT(*) AS review_count "
                    + "FROM products p JOIN reviews r ON r.product_id = p.id "
                    + "GROUP BY p.id, p.name, p.price "
                    + "ORDER BY CAST(SUM(r.rating) AS DOUBLE PRECISION) / COUNT(*) DESC, COUNT(*) DESC, p.id ASC "
                    + "LIMIT ?";

    /** One ranking request: the limit is the whole key; the call only lends its database to the loader. */
    private record Request(int limit, JavaCall call) {}

    private final DatabaseAccess database;
    private final JavaCachedFunction<Request, String> ranking;
    private final List<InvalidationRule> rules;

    /** Rankings cached in {@code backend} (the application's Restflow cache), read from {@code database}. */
    public TopProducts(CacheBackend backend, DatabaseAccess database) {
        this.database = database;
        CacheKey<Request> key = CacheKey.<Request>builder(CACHE_NAMESPACE)
                .function("ranking")
                .part("limit", Request::limit)
                .build();
        this.ranking = RestflowCache.create(backend)
                .cached(key, Duration.ofMinutes(10), String.class, request -> load(request));
        // No partition mapping: any committed change drops the whole namespace (every limit's ranking).
        this.rules = List.of(
                InvalidationRuleBuilder.on(Reviews.INSTANCE, "reviews->top-products")
                        .function(ranking.asKotlin())
                        .batch(true)
                        .build(),
                // a new product has no review yet, so it cannot enter a ranking
                InvalidationRuleBuilder.on(Products.INSTANCE, "products->top-products")
                        .function(ranking.asKotlin())
                        .onCreate(false)
                        .batch(true)
                        .build());
    }

    /** The invalidation rules of the rankings, for the application's invalidation registry. */
    public List<InvalidationRule> rules() {
        return rules;
    }

    /** Mounts {@code GET /api/java/top-products} under {@code parent}, described in the OpenAPI document. */
    public Route mount(Route parent) {
        Route java = RoutingBuilderKt.route(parent, "/api/java", route -> Unit.INSTANCE);
        RestflowRoutes.handle(java, HttpMethod.Companion.getGet(), "top-products", this::serve, database);
        return OpenApi.describe(java, op -> op
                .summary("The best-rated products (Java)")
                .description("The `limit` best-rated products with at least one review, ordered by average rating "
                        + "(descending), review count (descending), then id. Implemented in Java through Restflow's "
                        + "Java facades. Cached per limit (`X-Cache-Status: HIT|MISS`); any committed change to "
                        + "products or reviews drops the cached rankings.")
                .tags("products")
                .operationId("java_top_products")
                .queryParameter("limit", "How many products (default 10).",
                        schema("{\"type\":\"integer\",\"minimum\":1,\"maximum\":100,\"default\":10}"), false)
                .response(200, "The ranking, best first.",
                        schema("{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/TopProduct\"}}"))
                .schema("TopProduct", schema("{\"type\":\"object\","
                        + "\"required\":[\"id\",\"name\",\"price\",\"average_rating\",\"review_count\"],"
                        + "\"properties\":{"
                        + "\"id\":{\"type\":\"integer\"},"
                        + "\"name\":{\"type\":\"string\"},"
                        + "\"price\":{\"type\":\"string\",\"format\":\"decimal\",\"description\":\"Two decimal places.\"},"
                        + "\"average_rating\":{\"type\":\"string\",\"format\":\"decimal\","
                        + "\"description\":\"The mean rating, two decimal places, rounded half up.\"},"
                        + "\"review_count\":{\"type\":\"integer\",\"minimum\":1}}}"))
                .errors(400));
    }

    private void serve(JavaCall call) {
        int limit = parseLimit(call.queryParameter("limit"));
        CacheResult<String> result = ranking.getWithMetadata(new Request(limit, call));
        String status = switch (result.getStatus()) {
            case HIT -> "HIT";
            case STALE -> "STALE";
            default -> "MISS";
        };
        call.getCall().getResponse().getHeaders().append("X-Cache-Status", status, true);
        call.respondJson(result.getValue(), 200);
    }

    /** {@code limit}: absent → 10; else an integer in 1..100, or 400 {@code validation_error} keyed {@code limit}. */
    static int parseLimit(String raw) {
        if (raw == null) return DEFAULT_LIMIT;
        int limit;
        try {
            limit = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw invalid("A valid integer is required.");
        }
        if (limit < 1) throw invalid("Ensure this value is greater than or equal to 1.");
        if (limit > MAX_LIMIT) throw invalid("Ensure this value is less than or equal to " + MAX_LIMIT + ".");
        return limit;
    }

    private static ApiException invalid(String message) {
        return ApiException.validation(Map.of("limit", List.of(message)));
    }

    /** Runs the ranking query in a transaction of the call's database and renders it as JSON text. */
    private static String load(Request request) {
        return request.call().transaction(tx -> {
            Connection connection = (Connection) tx.getConnection().getConnection();
            List<JsonElement> items = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(RANKING_SQL)) {
                statement.setInt(1, request.limit());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) items.add(item(rows));
                }
            } catch (SQLException e) {
                throw new IllegalStateException("The top-products query failed", e);
            }
            return new JsonArray(items).toString();
        });
    }

    private static JsonObject item(ResultSet row) throws SQLException {
        long count = row.getLong("review_count");
        BigDecimal average = BigDecimal.valueOf(row.getLong("rating_sum"))
                .divide(BigDecimal.valueOf(count), 2, RoundingMode.HALF_UP);
        Map<String, JsonElement> fields = new LinkedHashMap<>();
        fields.put("id", JsonElementKt.JsonPrimitive(row.getLong("id")));
        fields.put("name", JsonElementKt.JsonPrimitive(row.getString("name")));
        fields.put("price", JsonElementKt.JsonPrimitive(row.getBigDecimal("price").setScale(2, RoundingMode.UNNECESSARY).toPlainString()));
        fields.put("average_rating", JsonElementKt.JsonPrimitive(average.toPlainString()));
        fields.put("review_count", JsonElementKt.JsonPrimitive(count));
        return new JsonObject(fields);
    }

    private static JsonObject schema(String json) {
        return JsonElementKt.getJsonObject(Json.Default.parseToJsonElement(json));
    }
}
