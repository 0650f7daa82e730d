package dev.restflow.exposed.outbox;

import org.jetbrains.exposed.v1.jdbc.Database;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The outbox relay driven from Java with a blocking handler. */
class OutboxJavaTest {
    @Test
    void javaRelayDeliversCommittedRowsThroughABlockingHandler() throws Exception {
        Database db = OutboxFixtures.h2();
        OutboxFixtures.reset(db);
        OutboxFixtures.createProduct(db, "lamp");

        List<String> delivered = new CopyOnWriteArrayList<>();
        // region java-outbox-relay
        OutboxRelay relay = OutboxRelay.builder(db)
                .handler(payload -> delivered.add(payload)) // blocking OutboxHandler; throw to retry
                .pollInterval(Duration.ofMillis(200))
                .batchSize(50)
                .maxAttempts(5)
                .build();
        // endregion
        assertEquals(1, relay.relayOnceBlocking());
        assertEquals(List.of("{\"evict\":\"product:lamp\"}"), delivered);
        assertEquals(0L, Outbox.pendingCount(db));

        relay.start();
        relay.stopAsync().get(30, TimeUnit.SECONDS);
        assertEquals(0, Outbox.purgeDone(db, Duration.ofHours(1)));
    }

    @Test
    void javaFailingHandlerParksTheRowAfterMaxAttempts() {
        Database db = OutboxFixtures.h2();
        OutboxFixtures.reset(db);
        OutboxFixtures.createProduct(db, "desk");
        OutboxRelay relay = OutboxRelay.builder(db)
                .handler(payload -> { throw new IllegalStateException("downstream refused " + payload); })
                .maxAttempts(1)
                .build();
        assertEquals(0, relay.relayOnceBlocking());
        assertEquals(1L, Outbox.deadCount(db));
        relay.close();
    }
}
