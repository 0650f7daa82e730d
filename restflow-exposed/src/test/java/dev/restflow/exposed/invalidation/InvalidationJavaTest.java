package dev.restflow.exposed.invalidation;

import dev.restflow.cache.memory.InMemoryCacheBackend;
import org.jetbrains.exposed.v1.jdbc.Database;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rules, custom invalidators and custom dispatchers declared from Java, on H2. */
class InvalidationJavaTest {
    @Test
    void rulesAndCustomDispatchersFromJava() throws Exception {
        Database db = DialRows.h2();
        List<InvalidationBatch> audited = new CopyOnWriteArrayList<>();
        List<InvalidationWork> custom = new CopyOnWriteArrayList<>();
        List<String> coroutineThreads = new CopyOnWriteArrayList<>();

        // region java-rules
        InvalidationRule dialPages = InvalidationRuleBuilder.on(Dials.INSTANCE, "dial-pages")
            .namespace("dials")
            .partition(Dials.INSTANCE.getId())
            .watch(Dials.INSTANCE.getLevel())
            .whenRow(row -> !Integer.valueOf(13).equals(row.value(Dials.INSTANCE.getLevel())))
            .onCreate(false)
            .dispatcher("audit")
            .build();
        InvalidationRule dialFeed = InvalidationRuleBuilder.on(Dials.INSTANCE, "dial-feed")
            .invalidator(custom::add)
            .map("id", Dials.INSTANCE.getId())
            .dispatcher("threadpool")
            .build();
        InvalidationRule dialLog = InvalidationRuleBuilder.on(Dials.INSTANCE, "dial-log")
            .invalidator(work -> coroutineThreads.add(Thread.currentThread().getName())) // blocking, on Dispatchers.IO
            .dispatcher("coroutine")
            .build();
        InvalidationRegistry registry = InvalidationRegistry.builder(InMemoryCacheBackend.builder().build(), db)
            .rule(dialPages, dialFeed, dialLog)
            .registerDispatcher("audit", (batch, context) -> {
                audited.add(batch);
                context.apply(batch);
            })
            .threadPool(2, 100, QueueFullPolicy.BLOCK)
            .build();
        // endregion

        try (registry) {
            DialRows.setLevel(db, 7, 1);
            DialRows.setLevelAndRollBack(db, 8, 1);
            assertTrue(registry.awaitIdle(Duration.ofSeconds(30)));
            assertEquals(1, audited.size());
            assertEquals(List.of(Map.of("partition", "7")), audited.get(0).getItems().get(0).getArgs());
            assertEquals(List.of(new InvalidationWork("dial-feed", false, List.of(Map.of("id", "7")))), custom);
            assertEquals(1, coroutineThreads.size());
            assertTrue(coroutineThreads.get(0).startsWith("DefaultDispatcher-worker"), coroutineThreads.get(0));
            assertFalse(((InvalidationTarget.Custom) dialLog.getTarget()).isSuspending());
            InvalidationBatch roundTrip = InvalidationBatch.decode(audited.get(0).encode());
            assertEquals(audited.get(0), roundTrip);
            registry.apply(roundTrip);

            assertEquals(List.of("dial-pages", "dial-feed", "dial-log"), registry.status().getRulesByTable().get("inv_dials"));
        }
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () ->
            InvalidationRegistry.builder(null, db)
                .rule(InvalidationRuleBuilder.on(Dials.INSTANCE, "x").invalidator(w -> { }).dispatcher("kafka").build())
                .build());
        assertTrue(unknown.getMessage().contains("known dispatchers: inline, threadpool, coroutine"), unknown.getMessage());
    }
}
