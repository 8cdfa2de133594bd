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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A full queue answers 503 at once, a late answer 504, and stop() answers everything it took. */
class BackpressureAndShutdownTest {
    static final String STUDY = "1.2.826.0.1.3680043.10.1137.3";

    @TempDir
    Path repo;
    final GatedClassifier.Gate gate = new GatedClassifier.Gate();

    ServerFixture start(ServerConfig config) throws Exception {
        TestRepository.addVersion(repo, "m", "1", 31);
        ModelFormats gated = new ModelFormats().register("gated", dir -> true,
                (dir, device) -> new GatedClassifier(TinyCnnClassifier.load(dir, device), gate));
        return ServerFixture.start(config.withAuthToken(ServerFixture.TOKEN), gated);
    }

    CompletableFuture<HttpResponse<String>> classifyAsync(ServerFixture f, byte[] dicom) {
        return f.http.sendAsync(f.request("/v1/models/m/classify").header("Content-Type", "application/dicom")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(dicom)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        Await.until(condition, "the server reaches the state the test waits for");
    }

    @Test
    void fullQueueIs503WithRetryAfterAndAMissedDeadlineIs504() throws Exception {
        try (ServerFixture f = start(ServerFixture.config(repo).withBatching(1, 0).withQueue(1, 1500))) {
            gate.hold();
            byte[] dicom = SyntheticDicom.instance(STUDY, 1);
            CompletableFuture<HttpResponse<String>> inForwardPass = classifyAsync(f, dicom);
            await(() -> gate.imagesInside() == 1);
            CompletableFuture<HttpResponse<String>> queued = classifyAsync(f, dicom);
            await(() -> queueDepth(f) == 1);
            HttpResponse<String> rejected = f.post("/v1/models/m/classify", "application/dicom", dicom);
            assertEquals(503, rejected.statusCode(), rejected.body());
            assertEquals("1", rejected.headers().firstValue("Retry-After").orElse(""));
            assertTrue(JsonParser.parseString(rejected.body()).getAsJsonObject().has("error"));
            assertEquals(504, inForwardPass.get(60, TimeUnit.SECONDS).statusCode());
            assertEquals(504, queued.get(60, TimeUnit.SECONDS).statusCode());
            gate.release();
            await(() -> gate.imagesInside() == 0 && queueDepth(f) == 0);
            assertEquals(200, f.post("/v1/models/m/classify", "application/dicom", dicom).statusCode(), "serves again");
        } finally {
            gate.release();
        }
    }

    static int queueDepth(ServerFixture f) {
        try {
            return f.server.repository().require("m").batcher().queueDepth();
        } catch (RepositoryException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void stopAnswersEverythingItTookThenReleasesThePort() throws Exception {
        ServerFixture f = start(ServerFixture.config(repo).withBatching(4, 0).withQueue(64, 60_000));
        int requests = 10;
        List<byte[]> instances = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        gate.hold();
        try {
            for (int i = 0; i < requests; i++) {
                instances.add(SyntheticDicom.instance(STUDY, 10 + i));
                pending.add(classifyAsync(f, instances.get(i)));
            }
            await(() -> gate.imagesInside() + queueDepth(f) == requests);
            Thread stopper = new Thread(f.server::stop);
            stopper.start();
            await(() -> {
                try {
                    return f.get("/v2/health/ready").statusCode() == 503;
                } catch (Exception e) {
                    return false;
                }
            });
            gate.release();
            stopper.join(60_000);
            assertTrue(!stopper.isAlive(), "stop() returned");
            try (TinyCnnClassifier reference = TestRepository.reference(repo, "m", "1")) {
                for (int i = 0; i < requests; i++) {
                    HttpResponse<String> response = pending.get(i).get(60, TimeUnit.SECONDS);
                    assertEquals(200, response.statusCode(), response.body());
                    JsonObject result = JsonParser.parseString(response.body()).getAsJsonObject()
                            .getAsJsonArray("results").get(0).getAsJsonObject();
                    FloatImage image = Preprocessing.of(reference.preprocessing()).apply(DicomReader.defaults().read(instances.get(i)), 0);
                    float expected = reference.predict(List.of(image)).get(0).probabilities()[1];
                    assertEquals(expected, result.getAsJsonObject("scores").get("abnormal").getAsFloat(), 1e-5f);
                }
            }
            Exception refused = assertThrows(Exception.class, () -> f.get("/v2/health/live"));
            assertTrue(refused instanceof ConnectException || refused.getCause() instanceof ConnectException
                    || refused instanceof java.io.IOException, refused.toString());
        } finally {
            gate.release();
            f.close();
        }
    }
}
