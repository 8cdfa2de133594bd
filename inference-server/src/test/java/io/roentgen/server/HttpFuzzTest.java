package io.roentgen.server;

import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.testing.ServerFixture;
import io.roentgen.server.testing.TestRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The standing fuzz test over HTTP: seeded mutations of real DICOM in every transfer syntax the
 * server decodes (the datasets module's conformance fixtures, written by dcmtk, GDCM, CharLS and
 * OpenJPEG), JPEG 2000 weighted most since its decoder is the one that is not ours. Every body
 * gets an answer below 500 within the client's timeout, and afterwards no request thread is left
 * running and the server still classifies.
 */
class HttpFuzzTest {
    private static final int CASES = 10_000;
    private static final int CLIENTS = 4;
    private static final Path FIXTURES = Path.of("..", "dicom", "src", "test", "resources", "fixtures");

    @TempDir
    Path repo;

    @Test
    void mutatedDicomInEveryTransferSyntaxNeverGivesAServerErrorOrAHang() throws Exception {
        Map<String, List<byte[]>> seeds = seeds();
        TestRepository.addVersion(repo, "chest", "1", 11);
        ServerConfig config = ServerFixture.config(repo).withMaxBodyBytes(16 << 20).withQueue(1024, 20_000);
        try (ServerFixture fixture = ServerFixture.start(config, ModelFormats.standard())) {
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            List<String> failures = new ArrayList<>();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    done.add(clients.submit(() -> fuzz(fixture, seeds, client, statuses, failures)));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                clients.shutdownNow();
            }
            int total = statuses.values().stream().mapToInt(AtomicInteger::get).sum();
            assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + failures.stream().limit(5).toList()
                    + "; statuses " + new TreeMap<>(statuses));
            assertEquals(CASES, total, "every case answered: " + new TreeMap<>(statuses));
            assertTrue(statuses.getOrDefault(200, new AtomicInteger()).get() > CASES / 20,
                    "some mutants still decode and score: " + new TreeMap<>(statuses));
            assertNoThreadStuckDecoding();
            assertTrue(ManagementFactory.getThreadMXBean().getThreadCount() <= threadsBefore + 16,
                    "threads back near the baseline of " + threadsBefore);
            byte[] intact = seeds.get("jpeg2000").get(0);
            assertEquals(200, fixture.post("/v1/models/chest/classify", "application/dicom", intact).statusCode());
        }
    }

    private static void fuzz(ServerFixture fixture, Map<String, List<byte[]>> seeds, int client,
            Map<Integer, AtomicInteger> statuses, List<String> failures) {
        SplittableRandom random = new SplittableRandom(2026L * 31 + client);
        List<String> families = new ArrayList<>(seeds.keySet());
        for (int i = client; i < CASES; i += CLIENTS) {
            // Half of the cases mutate JPEG 2000, the rest every family in turn.
            String family = i % 2 == 0 ? "jpeg2000" : families.get((i / 2) % families.size());
            List<byte[]> pool = seeds.get(family);
            byte[] body = Fuzz.mutate(pool.get(random.nextInt(pool.size())), random);
            try {
                HttpResponse<String> response = fixture.http.send(fixture.request("/v1/models/chest/classify")
                        .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/dicom")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                if (response.statusCode() >= 500) {
                    synchronized (failures) {
                        failures.add("case " + i + " (" + family + "): " + response.statusCode() + " " + response.body());
                    }
                }
            } catch (IOException | InterruptedException e) {
                synchronized (failures) {
                    failures.add("case " + i + " (" + family + "): " + e);
                }
            }
        }
    }

    /** A decode that never ends keeps a request thread inside a codec after its request was answered. */
    private static void assertNoThreadStuckDecoding() throws InterruptedException {
        List<String> stuck = List.of();
        for (int attempt = 0; attempt < 50; attempt++) {
            stuck = Arrays.stream(ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
                    .filter(HttpFuzzTest::decoding).map(ThreadInfo::getThreadName).toList();
            if (stuck.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("threads still decoding 5 s after the last answer: " + stuck);
    }

    private static boolean decoding(ThreadInfo thread) {
        return Arrays.stream(thread.getStackTrace()).anyMatch(frame -> frame.getClassName().contains("jj2000")
                || frame.getClassName().contains(".codec.") || frame.getClassName().contains(".pixel."));
    }

    /** The conformance fixtures by family; each family must be there, or the test would cover less than it says. */
    private static Map<String, List<byte[]>> seeds() throws IOException {
        Map<String, List<byte[]>> seeds = new TreeMap<>();
        for (String family : List.of("core", "rle", "jpeg", "jpegls", "jpeg2000")) {
            List<byte[]> files = new ArrayList<>();
            try (Stream<Path> paths = Files.list(FIXTURES.resolve(family))) {
                for (Path p : paths.filter(p -> p.toString().endsWith(".dcm")).sorted().toList()) {
                    files.add(Files.readAllBytes(p));
                }
            }
            assertTrue(files.size() >= 10, family + " seeds: " + files.size());
            seeds.put(family, files);
        }
        return seeds;
    }
}
