package dev.restflow.cache.stream;

import dev.restflow.testing.TestServices;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Redis stream queue and worker driven from Java. */
class RedisStreamJavaTest {
    @Test
    void javaWorkerReceivesPayloadsThroughABlockingHandler() throws Exception {
        LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
        // region java-stream-worker
        try (RedisStreamQueue queue = RedisStreamQueue.builder(TestServices.redisUri())
                .name("java-" + UUID.randomUUID())
                .maxLength(10_000)
                .build()) {
            RedisStreamWorker worker = queue.worker(payload -> seen.add(payload)) // blocking StreamHandler
                    .group("invalidation")
                    .consumer("java-worker-1")
                    .pollInterval(Duration.ofMillis(100))
                    .maxDeliveries(5)
                    .build();
            worker.start();
            queue.enqueueAsync("{\"evict\":[\"products:1\"]}").get(10, TimeUnit.SECONDS);
            assertEquals("{\"evict\":[\"products:1\"]}", seen.poll(60, TimeUnit.SECONDS));
            worker.stopAsync().get(30, TimeUnit.SECONDS);
        }
        // endregion
    }

    @Test
    void javaFailingHandlerEndsInTheDeadLetterStream() throws Exception {
        try (RedisStreamQueue queue = RedisStreamQueue.builder(TestServices.redisUri()).name("java-" + UUID.randomUUID()).build()) {
            LinkedBlockingQueue<String> attempts = new LinkedBlockingQueue<>();
            RedisStreamWorker worker = queue.worker(payload -> {
                attempts.add(payload);
                throw new IllegalStateException("refused");
            }).maxDeliveries(1).pollInterval(Duration.ofMillis(50)).build();
            worker.start();
            queue.enqueueBlocking("bad");
            assertEquals("bad", attempts.poll(60, TimeUnit.SECONDS));
            worker.stop();
            assertEquals(1, queue.deadLettersBlocking().size());
            assertEquals("refused", queue.deadLettersBlocking().get(0).getError());
        }
    }
}
