package io.roentgen.server.export;

import io.roentgen.server.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Outbox retention over real HTTP: delivered entries older than the retention leave done/, newer
 * ones stay, and pending and failed entries are never touched, however old.
 */
class OutboxRetentionTest {
    static final Backoff SLOW_RETRY = new Backoff(Duration.ofSeconds(30), Duration.ofSeconds(30), 50);

    @TempDir
    Path work;

    @Test
    void onlyDeliveredEntriesPastRetentionAreDeleted() throws Exception {
        try (StowEndpoint pacs = new StowEndpoint(0, n -> new StowEndpoint.Answer(200, StowEndpoint.stored(OutboxTest.UID)));
                StowEndpoint refuses = new StowEndpoint(0, n -> new StowEndpoint.Answer(400, ""));
                StowEndpoint down = new StowEndpoint(0, n -> new StowEndpoint.Answer(503, ""));
                Outbox outbox = new Outbox(work.resolve("outbox"), List.of(new StowRsClient(Duration.ofSeconds(10), null)),
                        SLOW_RETRY)) {
            OutboxEntry old = outbox.enqueue(OutboxTest.OBJECT, OutboxTest.UID, ResultDestination.parse(pacs.base()));
            OutboxEntry recent = outbox.enqueue(OutboxTest.OBJECT, OutboxTest.UID, ResultDestination.parse(pacs.base()));
            OutboxEntry failed = outbox.enqueue(OutboxTest.OBJECT, OutboxTest.UID, ResultDestination.parse(refuses.base()));
            OutboxEntry waiting = outbox.enqueue(OutboxTest.OBJECT, OutboxTest.UID, ResultDestination.parse(down.base()));
            Await.until(() -> size(outbox::done) == 2 && size(outbox::failed) == 1 && down.requests.size() >= 1,
                    "two delivered, one refused, one waiting for a retry");

            Instant twoDaysAgo = Instant.now().minus(Duration.ofDays(2));
            age(work.resolve("outbox/done"), old.id(), twoDaysAgo);
            age(work.resolve("outbox/failed"), failed.id(), twoDaysAgo);
            age(work.resolve("outbox/pending"), waiting.id(), twoDaysAgo);

            assertEquals(1, outbox.pruneDone(Instant.now().minus(Duration.ofDays(1))));
            assertFalse(Files.exists(work.resolve("outbox/done/" + old.id() + ".dcm")));
            assertFalse(Files.exists(work.resolve("outbox/done/" + old.id() + ".json")));
            assertEquals(List.of(recent.id()), outbox.done().stream().map(OutboxEntry::id).toList());
            assertEquals(List.of(failed.id()), outbox.failed().stream().map(OutboxEntry::id).toList());
            assertEquals(List.of(waiting.id()), outbox.pending().stream().map(OutboxEntry::id).toList());
            assertTrue(Files.exists(work.resolve("outbox/pending/" + waiting.id() + ".dcm")));

            // The worker's own sweep, once retention is on: the recent entry goes when it is old enough.
            age(work.resolve("outbox/done"), recent.id(), twoDaysAgo);
            outbox.retainDone(Duration.ofHours(24));
            Await.until(() -> size(outbox::done) == 0, "the worker pruned done/");
            assertEquals(1, size(outbox::pending));
            assertEquals(1, size(outbox::failed));
        }
    }

    private static void age(Path dir, String id, Instant when) throws IOException {
        for (String ext : List.of(".dcm", ".json")) {
            Files.setLastModifiedTime(dir.resolve(id + ext), FileTime.from(when));
        }
    }

    private interface Listing {
        List<OutboxEntry> get() throws IOException;
    }

    private static int size(Listing listing) {
        try {
            return listing.get().size();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
