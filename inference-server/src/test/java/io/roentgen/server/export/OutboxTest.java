package io.roentgen.server.export;

import io.roentgen.server.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outbox over real HTTP: delivery, retries with backoff until the destination answers,
 * restarts that lose nothing, refusals and exhausted attempts that end in failed/ with a reason.
 */
class OutboxTest {
    static final String UID = "1.2.826.0.1.3680043.10.1137.55";
    static final byte[] OBJECT = "DICM-bytes-of-an-SR".getBytes(StandardCharsets.US_ASCII);
    static final Backoff FAST = new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), 50);

    @TempDir
    Path work;

    private Outbox outbox(Backoff backoff) throws IOException {
        return new Outbox(work.resolve("outbox"), List.of(new StowRsClient(Duration.ofSeconds(10), null)), backoff);
    }

    @Test
    void deliversOneMultipartPartAndMovesItToDone() throws Exception {
        try (StowEndpoint pacs = new StowEndpoint(0, n -> new StowEndpoint.Answer(200, StowEndpoint.stored(UID)));
                Outbox outbox = outbox(FAST)) {
            outbox.enqueue(OBJECT, UID, ResultDestination.parse(pacs.base()));
            // The done/ sidecar is written before the pending one goes: both show for a moment.
            Await.until(() -> count(outbox::done) == 1 && count(outbox::pending) == 0, "delivered");
            StowEndpoint.Request request = pacs.requests.get(0);
            assertTrue(request.contentType().startsWith("multipart/related; type=\"application/dicom\"; boundary="),
                    request.contentType());
            String body = new String(request.body(), StandardCharsets.ISO_8859_1);
            assertTrue(body.contains("Content-Type: application/dicom\r\n\r\nDICM-bytes-of-an-SR\r\n--"), body);
            assertEquals(1, outbox.done().get(0).attempts());
            assertTrue(Files.exists(work.resolve("outbox/done/" + outbox.done().get(0).id() + ".dcm")));
        }
    }

    @Test
    void retriesWithBackoffUntilTheArchiveTakesIt() throws Exception {
        try (StowEndpoint pacs = new StowEndpoint(0, n -> n <= 2 ? new StowEndpoint.Answer(503, "")
                : new StowEndpoint.Answer(200, StowEndpoint.stored(UID)));
                Outbox outbox = outbox(FAST)) {
            outbox.enqueue(OBJECT, UID, ResultDestination.parse(pacs.base()));
            Await.until(() -> count(outbox::done) == 1, "delivered on the third try");
            assertEquals(3, pacs.requests.size());
            assertEquals(3, outbox.done().get(0).attempts());
        }
    }

    @Test
    void aRestartLosesNothingAndDeliversWhenTheArchiveComesUp() throws Exception {
        int port = freePort();
        String base = "http://127.0.0.1:" + port + "/dicomweb";
        try (Outbox down = outbox(FAST)) {
            down.enqueue(OBJECT, UID, ResultDestination.parse(base));
            Await.until(() -> list(down::pending).stream().anyMatch(e -> e.attempts() >= 2), "two refused connections");
            assertTrue(down.pending().get(0).lastError().contains("STOW-RS to"), down.pending().get(0).lastError());
        }
        try (StowEndpoint pacs = new StowEndpoint(port, n -> new StowEndpoint.Answer(200, StowEndpoint.stored(UID)));
                Outbox restarted = outbox(FAST)) {
            Await.until(() -> count(restarted::done) == 1, "delivered after the restart");
            assertEquals(1, pacs.requests.size());
            assertTrue(Arrays.equals(OBJECT, Arrays.copyOfRange(pacs.requests.get(0).body(), indexOf(pacs.requests.get(0).body()),
                    indexOf(pacs.requests.get(0).body()) + OBJECT.length)));
        }
    }

    @Test
    void aRefusedObjectGoesToFailedWithTheArchivesReason() throws Exception {
        try (StowEndpoint pacs = new StowEndpoint(0, n -> new StowEndpoint.Answer(409, StowEndpoint.failed(UID, 0xA900)));
                Outbox outbox = outbox(FAST)) {
            outbox.enqueue(OBJECT, UID, ResultDestination.parse(pacs.base()));
            Await.until(() -> count(outbox::failed) == 1, "refused for good");
            OutboxEntry entry = outbox.failed().get(0);
            assertTrue(entry.lastError().contains("409") && entry.lastError().contains("A900"), entry.lastError());
            assertEquals(1, pacs.requests.size(), "a refusal is not retried");
        }
    }

    @Test
    void aFailedInstanceInA202IsARefusalAndOthersAreNot() {
        SendException e = assertThrows(SendException.class, () -> StowRsClient.check(202, StowEndpoint.failed(UID, 0xC000), UID));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("C000"));
        assertDoesNotThrow202(StowEndpoint.failed("1.2.3", 0xC000));
        assertTrue(assertThrows(SendException.class, () -> StowRsClient.check(503, "", UID)).retryable());
        assertTrue(assertThrows(SendException.class, () -> StowRsClient.check(429, "", UID)).retryable());
        assertFalse(assertThrows(SendException.class, () -> StowRsClient.check(400, "bad", UID)).retryable());
    }

    private static void assertDoesNotThrow202(String body) {
        try {
            StowRsClient.check(202, body, UID);
        } catch (SendException e) {
            throw new AssertionError("another instance's failure is not ours: " + e.getMessage());
        }
    }

    @Test
    void attemptsRunOutIntoFailed() throws Exception {
        try (StowEndpoint pacs = new StowEndpoint(0, n -> new StowEndpoint.Answer(503, ""));
                Outbox outbox = outbox(new Backoff(Duration.ofMillis(20), Duration.ofMillis(40), 3))) {
            outbox.enqueue(OBJECT, UID, ResultDestination.parse(pacs.base()));
            Await.until(() -> count(outbox::failed) == 1, "given up");
            assertTrue(outbox.failed().get(0).lastError().startsWith("gave up after 3 attempts"), outbox.failed().get(0).lastError());
            assertEquals(3, pacs.requests.size());
        }
    }

    @Test
    void tornWritesAreRemovedAtStart() throws Exception {
        Path pending = Files.createDirectories(work.resolve("outbox/pending"));
        Files.write(pending.resolve("0000000000001-deadbeef.dcm"), OBJECT);
        Files.write(pending.resolve(".0000000000002-cafecafe.json.tmp"), OBJECT);
        try (Outbox outbox = outbox(FAST)) {
            try (var files = Files.list(pending)) {
                assertEquals(List.of(), files.toList());
            }
            assertEquals(0, count(outbox::pending));
        }
    }

    @Test
    void backoffDoublesAndIsCapped() {
        Backoff b = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10), 200);
        assertEquals(Duration.ofSeconds(5), b.delayAfter(1));
        assertEquals(Duration.ofSeconds(10), b.delayAfter(2));
        assertEquals(Duration.ofSeconds(320), b.delayAfter(7));
        assertEquals(Duration.ofMinutes(10), b.delayAfter(8));
        assertEquals(Duration.ofMinutes(10), b.delayAfter(199));
    }

    @Test
    void destinationsParseFromUris() {
        ResultDestination.Dicom d = (ResultDestination.Dicom) ResultDestination.parse("dicom://PACS_AE@pacs.local:104");
        assertEquals("PACS_AE", d.aeTitle());
        assertEquals("pacs.local", d.host());
        assertEquals(104, d.port());
        ResultDestination.StowRs s = (ResultDestination.StowRs) ResultDestination.parse("https://pacs/dicomweb/");
        assertEquals("https://pacs/dicomweb/studies", s.studies().toString());
        assertEquals("http://h:8042/dicom-web/studies",
                ((ResultDestination.StowRs) ResultDestination.parse("http://h:8042/dicom-web")).studies().toString());
        for (String bad : List.of("dicom://pacs:104", "dicom://AE@pacs", "dicom://WAY_TOO_LONG_AE_TITLE@h:1", "ftp://x/y",
                "https://h/dicomweb?x=1", "not a uri")) {
            assertThrows(IllegalArgumentException.class, () -> ResultDestination.parse(bad), bad);
        }
    }

    private interface Listing {
        List<OutboxEntry> get() throws IOException;
    }

    private static int count(Listing listing) {
        return list(listing).size();
    }

    private static List<OutboxEntry> list(Listing listing) {
        try {
            return listing.get();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int indexOf(byte[] body) {
        String s = new String(body, StandardCharsets.ISO_8859_1);
        return s.indexOf("DICM-bytes");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
