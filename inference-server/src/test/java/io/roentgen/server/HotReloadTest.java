package io.roentgen.server;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.image.Preprocessing;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.repository.RepositoryException;
import io.roentgen.server.testing.Await;
import io.roentgen.server.testing.GatedClassifier;
import io.roentgen.server.testing.ServerFixture;
import io.roentgen.server.testing.SyntheticDicom;
import io.roentgen.server.testing.TestRepository;
import io.roentgen.server.testing.TinyCnnClassifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /v2/repository/models/{m}/load} while requests are in flight: every request sent is
 * answered 200, by the version that took it, across the swap.
 */
class HotReloadTest {
    static final String STUDY = "1.2.826.0.1.3680043.10.1137.4";
    static final String MODEL = "m";
    static final float TOLERANCE = 1e-5f;

    @TempDir
    Path repo;
    /** One gate per version folder: version 1 can be held while version 2 serves. */
    final Map<String, GatedClassifier.Gate> gates = new ConcurrentHashMap<>();
    ServerFixture fixture;

    ServerFixture start() throws Exception {
        ModelFormats gated = new ModelFormats().register("gated", dir -> true, (dir, device) -> new GatedClassifier(
                TinyCnnClassifier.load(dir, device), gate(dir.getFileName().toString())));
        fixture = ServerFixture.start(ServerFixture.config(repo).withAuthToken(ServerFixture.TOKEN)
                .withBatching(4, 0).withQueue(64, 60_000), gated);
        return fixture;
    }

    GatedClassifier.Gate gate(String version) {
        return gates.computeIfAbsent(version, v -> new GatedClassifier.Gate());
    }

    @AfterEach
    void stop() {
        gates.values().forEach(GatedClassifier.Gate::release);
        if (fixture != null) {
            fixture.close();
        }
    }

    /**
     * Version 1 holds six requests (a forward pass at its gate, the rest queued) when the
     * reload swaps in version 2: the swap does not wait for them, new requests go to version 2
     * at once, and once version 1 may finish, its six are answered by version 1.
     */
    @Test
    void requestsTakenBeforeTheSwapAreAnsweredAfterItByTheOldVersion() throws Exception {
        TestRepository.addVersion(repo, MODEL, "1", 41);
        ServerFixture f = start();
        byte[] dicom = SyntheticDicom.instance(STUDY, 1);
        float[] v1 = expected("1", dicom);
        gate("1").hold();
        List<CompletableFuture<HttpResponse<String>>> beforeSwap = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            beforeSwap.add(classifyAsync(f, dicom));
        }
        Await.until(() -> gate("1").imagesInside() + queueDepth(f) == 6, "version 1 holds all six");

        TestRepository.addVersion(repo, MODEL, "2", 42);
        float[] v2 = expected("2", dicom);
        assertNotEquals(v1[1], v2[1], "the versions answer differently");
        CompletableFuture<HttpResponse<String>> reload = f.http.sendAsync(f.request("/v2/repository/models/" + MODEL + "/load")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        Await.until(() -> servingVersion(f).equals("2"), "version 2 swapped in");

        int duringDrain = 5;
        for (int i = 0; i < duringDrain; i++) {
            HttpResponse<String> response = f.post("/v1/models/" + MODEL + "/classify", "application/dicom", dicom);
            assertEquals(200, response.statusCode(), response.body());
            assertVersion("2", v2, response);
        }
        assertFalse(reload.isDone(), "the reload call waits for version 1 to drain");
        assertEquals(0, beforeSwap.stream().filter(CompletableFuture::isDone).count(), "version 1 still holds its six");

        gate("1").release();
        HttpResponse<String> reloaded = reload.get(60, TimeUnit.SECONDS);
        assertEquals(200, reloaded.statusCode(), reloaded.body());
        int answered = 0;
        for (CompletableFuture<HttpResponse<String>> request : beforeSwap) {
            HttpResponse<String> response = request.get(60, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode(), response.body());
            assertVersion("1", v1, response);
            answered++;
        }
        assertEquals(beforeSwap.size(), answered, "sent before the swap, all answered after it");
    }

    /** Eight clients send without pause through three reloads; each counts what it sent and what came back 200. */
    @Test
    void reloadsUnderLoadAnswerEveryRequestSent() throws Exception {
        TestRepository.addVersion(repo, MODEL, "1", 21);
        ServerFixture f = start();
        byte[] dicom = SyntheticDicom.instance(STUDY, 9);
        Map<String, float[]> expectedByVersion = new ConcurrentHashMap<>();
        expectedByVersion.put("1", expected("1", dicom));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            clients.add(pool.submit(() -> {
                for (int mine = 0; running.get() || mine == 0; mine++) {
                    sent.incrementAndGet();
                    HttpResponse<String> response = f.post("/v1/models/" + MODEL + "/classify", "application/dicom", dicom);
                    assertEquals(200, response.statusCode(), response.body());
                    JsonObject result = result(response);
                    assertScores(expectedByVersion.get(result.get("version").getAsString()), result);
                    answered.incrementAndGet();
                }
                return null;
            }));
        }
        try {
            for (int version = 2; version <= 4; version++) {
                TestRepository.addVersion(repo, MODEL, Integer.toString(version), 20 + version);
                expectedByVersion.put(Integer.toString(version), expected(Integer.toString(version), dicom));
                HttpResponse<String> load = f.post("/v2/repository/models/" + MODEL + "/load", "application/json", new byte[0]);
                assertEquals(200, load.statusCode(), load.body());
            }
        } finally {
            running.set(false);
        }
        for (Future<?> client : clients) {
            client.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(sent.get(), answered.get(), "every request sent was answered 200");
        assertTrue(answered.get() >= 8, "every client was answered");
        assertEquals("4", servingVersion(f));
        assertTrue(f.post("/v2/repository/index", "application/json", new byte[0]).body()
                .contains("{\"name\":\"m\",\"version\":\"4\",\"state\":\"READY\",\"reason\":\"\"}"));
        assertEquals(200, f.post("/v2/repository/models/" + MODEL + "/unload", "application/json", new byte[0]).statusCode());
        // Between unload and the next load a client gets something it can act on: 503 with Retry-After.
        HttpResponse<String> gap = f.post("/v1/models/" + MODEL + "/classify", "application/dicom", dicom);
        assertEquals(503, gap.statusCode(), gap.body());
        assertTrue(gap.headers().firstValue("Retry-After").isPresent());
    }

    static CompletableFuture<HttpResponse<String>> classifyAsync(ServerFixture f, byte[] dicom) {
        return f.http.sendAsync(f.request("/v1/models/" + MODEL + "/classify").header("Content-Type", "application/dicom")
                .POST(HttpRequest.BodyPublishers.ofByteArray(dicom)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static int queueDepth(ServerFixture f) {
        try {
            return f.server.repository().require(MODEL).batcher().queueDepth();
        } catch (RepositoryException e) {
            throw new IllegalStateException(e);
        }
    }

    static String servingVersion(ServerFixture f) {
        try {
            return f.server.repository().require(MODEL).version();
        } catch (RepositoryException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonObject result(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonArray("results").get(0).getAsJsonObject();
    }

    static void assertVersion(String version, float[] expected, HttpResponse<String> response) {
        JsonObject result = result(response);
        assertEquals(version, result.get("version").getAsString(), result.toString());
        assertScores(expected, result);
    }

    static void assertScores(float[] expected, JsonObject result) {
        JsonObject scores = result.getAsJsonObject("scores");
        assertEquals(expected[0], scores.get("normal").getAsFloat(), TOLERANCE, result.toString());
        assertEquals(expected[1], scores.get("abnormal").getAsFloat(), TOLERANCE, result.toString());
    }

    /** What the version's classifier says when called directly. */
    float[] expected(String version, byte[] dicom) throws Exception {
        try (TinyCnnClassifier reference = TestRepository.reference(repo, MODEL, version)) {
            FloatImage image = Preprocessing.of(reference.preprocessing()).apply(DicomReader.defaults().read(dicom), 0);
            return reference.predict(List.of(image)).get(0).probabilities();
        }
    }
}
