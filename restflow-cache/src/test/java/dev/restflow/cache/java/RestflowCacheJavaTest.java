package dev.restflow.cache.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.restflow.cache.function.CacheLookup;
import dev.restflow.cache.function.CacheStatus;
import dev.restflow.cache.key.CacheKey;
import dev.restflow.cache.memory.InMemoryCacheBackend;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RestflowCacheJavaTest {
    private final InMemoryCacheBackend backend = InMemoryCacheBackend.create();
    private final RestflowCache cache = RestflowCache.create(backend);
    private final Map<Long, String> names = new ConcurrentHashMap<>(Map.of(1L, "ann", 2L, "bob"));
    private final AtomicInteger loads = new AtomicInteger();
    private final CacheKey<Long> key = CacheKey.<Long>builder("java-users")
            .function("name")
            .partition("id", id -> id)
            .build();
    private final JavaCachedFunction<Long, String> name = cache.cached(key, Duration.ofMinutes(5), String.class, id -> {
        loads.incrementAndGet();
        return names.get(id);
    });

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void blockingGetLoadsOnceThenHits() {
        assertEquals("ann", name.get(1L));
        assertEquals("ann", name.get(1L));
        assertEquals(1, loads.get());
        assertEquals(CacheStatus.HIT, name.getWithMetadata(1L).getStatus());
    }

    @Test
    void theFacadeReadsLikeTheGuide() throws Exception {
        // region java-facade
        RestflowCache cache = RestflowCache.create(backend);
        CacheKey<Long> byId = CacheKey.<Long>builder("users")
                .function("name")
                .partition("id", id -> id)
                .build();
        JavaCachedFunction<Long, String> userName =
                cache.cached(byId, Duration.ofMinutes(5), String.class, id -> names.get(id));

        String blocking = userName.get(1L);
        String async = userName.getAsync(2L).get();
        userName.delete(1L);
        userName.invalidateAll();
        // endregion
        assertEquals("ann", blocking);
        assertEquals("bob", async);
    }

    @Test
    void getAsyncCompletesWithTheValue() throws Exception {
        assertEquals("bob", name.getAsync(2L).get());
        assertEquals("bob", name.getAsync(2L).get());
        assertEquals(1, loads.get());
    }

    @Test
    void deleteAndInvalidateAllMakeTheNextCallLoad() {
        name.get(1L);
        names.put(1L, "anna");
        name.delete(1L);
        assertEquals("anna", name.get(1L));
        names.put(1L, "annie");
        name.invalidateAll();
        assertEquals("annie", name.get(1L));
        names.put(1L, "ann");
        name.deleteByPartition(Map.of("id", 1L));
        assertEquals("ann", name.get(1L));
        assertEquals(4, loads.get());
    }

    @Test
    void getCacheOnlyReportsMissingWithoutLoading() {
        assertInstanceOf(CacheLookup.Missing.class, name.getCacheOnly(1L));
        assertEquals(0, loads.get());
    }

    @Test
    void loaderExceptionsReachJavaCallersAndAreNotCached() {
        JavaCachedFunction<Long, String> failing = cache.cached(key, Duration.ofMinutes(5), String.class, id -> {
            throw new java.io.IOException("backend said no");
        });
        java.io.IOException blocking = assertThrows(java.io.IOException.class, () -> failing.get(3L));
        assertEquals("backend said no", blocking.getMessage());
        ExecutionException async = assertThrows(ExecutionException.class, () -> failing.getAsync(3L).get());
        assertInstanceOf(java.io.IOException.class, async.getCause());
        assertInstanceOf(CacheLookup.Missing.class, failing.getCacheOnly(3L));
    }

    @Test
    void optionsAreSetThroughAConsumer() {
        JavaCachedFunction<Long, String> onlyAnn = cache.cached(key, Duration.ofMinutes(5), String.class,
                id -> names.get(id), config -> config.cacheIf("ann"::equals).staleFor(Duration.ofSeconds(30))
                        .distributedLease(true, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMillis(20)));
        onlyAnn.get(1L);
        onlyAnn.get(2L);
        assertInstanceOf(CacheLookup.Found.class, onlyAnn.getCacheOnly(1L));
        assertInstanceOf(CacheLookup.Missing.class, onlyAnn.getCacheOnly(2L));
        assertEquals(CacheStatus.REFRESH, onlyAnn.refresh(1L).getStatus());
        assertEquals(CacheStatus.BYPASS, onlyAnn.bypass(1L).getStatus());
    }
}
