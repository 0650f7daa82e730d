package dev.restflow.cache.key;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheKeyJavaTest {
    record Query(long userId, String lang, Map<String, List<String>> query) {}

    @Test
    void keysAreBuiltFromJavaWithTheSameLayout() {
        CacheKey<Query> key = CacheKey.<Query>builder("users")
                .function("get-user")
                .version("2")
                .partition("user_id", Query::userId)
                .constant("v", "1")
                .part("lang", Query::lang)
                .params("q", Query::query)
                .maxSuffixLength(100)
                .hashOnOverflow(KeyHashAlgorithm.BLAKE2B)
                .build();

        String rendered = key.render(new Query(5, "en", Map.of("b", List.of("2"), "a", List.of("1"))));

        assertEquals("users::get-user@2::user_id=5::v=1&lang=en&q.a=1&q.b=2", rendered);
        assertEquals("user_id=5", key.partitionOf(Map.of("user_id", 5L)));
    }
}
