package io.roentgen.server;

import io.roentgen.server.admission.ServerLimits;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.testing.MetricsExposition;
import io.roentgen.server.testing.ServerFixture;
import io.roentgen.server.testing.SyntheticDicom;
import io.roentgen.server.testing.TestRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.Flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory admission with a small budget: inputs within every size limit that would need more
 * request memory than there is are refused before it is allocated (503 with Retry-After when it
 * may fit later, 413 when it never can), the budget is given back after each request, and the
 * gauges in /metrics show it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdmissionTest {
    private static final String STUDY = "1.2.826.0.1.3680043.10.1137.19";
    private static final long BUDGET = 4L << 20;

    @TempDir
    static Path repo;
    ServerFixture fixture;

    @BeforeAll
    void start() throws Exception {
        TestRepository.addVersion(repo, "chest", "1", 11);
        ServerConfig config = ServerFixture.config(repo).withMaxBodyBytes(64L << 20)
                .withLimits(ServerLimits.defaults().withMemoryBudget(BUDGET));
        fixture = ServerFixture.start(config, ModelFormats.standard());
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    @Test
    void aDeclaredBodyLargerThanTheWholeBudgetIs413BeforeItIsRead() throws Exception {
        HttpResponse<String> response = fixture.post("/v1/models/chest/classify", "application/dicom", new byte[3 << 20]);
        assertEquals(413, response.statusCode(), response.body());
        assertTrue(response.body().contains("memory budget"), response.body());
        assertBudgetReturned();
    }

    @Test
    void aChunkedBodyIsCountedAsItArrives() throws Exception {
        HttpRequest request = fixture.request("/v1/models/chest/classify").header("Content-Type", "application/dicom")
                .POST(HttpRequest.BodyPublishers.fromPublisher(zeros(3 << 20))).build(); // no length: chunked
        HttpResponse<String> response = fixture.http.send(request, HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() == 413 || response.statusCode() == 503, response.statusCode() + " " + response.body());
        assertBudgetReturned();
    }

    /** A few KB on the wire, 15.7 MB inflated: within the reader's limits, not within this budget. */
    @Test
    void aDeflatedDataSetThatInflatesPastTheBudgetIsRefusedWithRetryAfter() throws Exception {
        byte[] deflated = SyntheticDicom.deflatedBlank(STUDY, 2800, 2800);
        assertTrue(deflated.length < 1 << 20, "small on the wire: " + deflated.length);
        HttpResponse<String> response = fixture.post("/v1/models/chest/classify", "application/dicom", deflated);
        assertEquals(503, response.statusCode(), response.body());
        assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
        assertBudgetReturned();
    }

    /** A frame whose declared size needs more than the budget is refused before it is decoded. */
    @Test
    void aFrameLargerThanTheBudgetIsRefusedBeforeDecoding() throws Exception {
        byte[] small = SyntheticDicom.instance(STUDY, 3);
        assertEquals(200, fixture.post("/v1/models/chest/classify", "application/dicom", small).statusCode());
        byte[] deflated = SyntheticDicom.deflatedBlank(STUDY, 1000, 1000); // 2 MB inflated, 6 MB to decode
        HttpResponse<String> response = fixture.post("/v1/models/chest/classify", "application/dicom", deflated);
        assertEquals(413, response.statusCode(), response.body());
        assertTrue(response.body().contains("decoding a frame of 1000 x 1000"), response.body());
        assertBudgetReturned();
    }

    @Test
    void theBudgetIsAGaugeInMetrics() throws Exception {
        String metrics = fixture.get("/metrics").body();
        assertEquals(BUDGET, gauge(metrics, "roentgen_request_memory_budget_bytes"));
        assertTrue(gauge(metrics, "roentgen_request_memory_bytes") >= 0);
    }

    private void assertBudgetReturned() throws Exception {
        // The access log (and the release) runs after the response is sent: poll briefly.
        long used = -1;
        for (int i = 0; i < 100 && used != 0; i++) {
            used = gauge(fixture.get("/metrics").body(), "roentgen_request_memory_bytes");
            if (used != 0) {
                Thread.sleep(20);
            }
        }
        assertEquals(0, used, "every request gave its memory back");
        assertEquals(200, fixture.get("/v2/health/ready").statusCode());
    }

    private static long gauge(String metrics, String name) {
        return (long) MetricsExposition.parseText(metrics).value(name);
    }

    /** {@code n} zero bytes in 64 KiB chunks, with no length, so the client sends them chunked. */
    private static Flow.Publisher<ByteBuffer> zeros(int n) {
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(new byte[n]));
    }
}
