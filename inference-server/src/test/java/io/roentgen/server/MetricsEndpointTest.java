package io.roentgen.server;

import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.testing.Await;
import io.roentgen.server.testing.MetricsExposition;
import io.roentgen.server.testing.ServerFixture;
import io.roentgen.server.testing.SyntheticDicom;
import io.roentgen.server.testing.TestRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /metrics} over real HTTP from a running server after a few classifications, parsed by the
 * strict {@link MetricsExposition} rules: Prometheus text by default, OpenMetrics when asked, today's
 * names, labels and bucket bounds, and the client's JVM and process metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsEndpointTest {
    private static final String MODEL = "chest";
    private static final String STUDY = "1.2.826.0.1.3680043.10.1137.17";
    private static final String CLASSIFY = "/v1/models/{model}/classify";
    private static final int CLASSIFIED = 3;
    private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final List<Double> SECONDS = List.of(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
            5.0, 10.0, 30.0, Double.POSITIVE_INFINITY);
    private static final List<Double> BATCH_SIZES = List.of(1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0,
            Double.POSITIVE_INFINITY);

    @TempDir
    static Path repo;
    ServerFixture fixture;

    @BeforeAll
    void startAndClassify() throws Exception {
        TestRepository.addVersion(repo, MODEL, "1", 11);
        fixture = ServerFixture.start(ServerFixture.config(repo), ModelFormats.standard());
        for (int i = 0; i < CLASSIFIED; i++) {
            HttpResponse<String> answer = fixture.post("/v1/models/" + MODEL + "/classify", "application/dicom",
                    SyntheticDicom.instance(STUDY, i));
            assertEquals(200, answer.statusCode(), answer.body());
        }
        // Requests are counted in the access log, after the answer is sent.
        Await.until(() -> classifyRequests(MetricsExposition.parseText(scrape(null).body())) == CLASSIFIED,
                "the classify requests are counted");
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    @Test
    void prometheusTextByDefaultWithTodaysNamesAndBuckets() {
        HttpResponse<String> response = scrape(null);
        assertEquals(TEXT, response.headers().firstValue("Content-Type").orElseThrow());
        MetricsExposition m = MetricsExposition.parseText(response.body());
        assertTypes(m, Map.of("roentgen_http_requests_total", "counter", "roentgen_instances_total", "counter",
                "roentgen_connections_refused_total", "counter", "roentgen_http_request_seconds", "histogram",
                "roentgen_queue_seconds", "histogram", "roentgen_compute_seconds", "histogram",
                "roentgen_batch_size", "histogram", "roentgen_http_requests_in_flight", "gauge",
                "roentgen_queue_depth", "gauge", "roentgen_model_ready", "gauge"));
        assertEquals(CLASSIFIED, classifyRequests(m));
        assertEquals(CLASSIFIED, m.value("roentgen_instances_total", "outcome", "classified"));
        assertEquals(CLASSIFIED, m.value("roentgen_batch_size_sum", "model", MODEL), "images per pass add up");
        assertEquals(CLASSIFIED, m.value("roentgen_queue_seconds_count", "model", MODEL), "one queue wait per image");
        assertEquals(CLASSIFIED, m.value("roentgen_http_request_seconds_count", "method", "POST", "route", CLASSIFY));
        assertEquals(SECONDS, bounds(m, "roentgen_http_request_seconds", Map.of("method", "POST", "route", CLASSIFY)));
        assertEquals(SECONDS, bounds(m, "roentgen_compute_seconds", Map.of("model", MODEL)));
        assertEquals(BATCH_SIZES, bounds(m, "roentgen_batch_size", Map.of("model", MODEL)));
        assertEquals(1, m.value("roentgen_model_ready", "model", MODEL, "version", "1", "state", "READY"));
        assertEquals(0, m.value("roentgen_queue_depth", "model", MODEL));
        assertTrue(m.value("roentgen_http_requests_in_flight") >= 1, "this scrape is in flight");
        assertTrue(m.value("roentgen_request_memory_budget_bytes") > 0);
        assertEquals(0, m.value("roentgen_connections_refused_total"));
        assertJvmAndProcess(m);
    }

    @Test
    void openMetricsWhenAsked() {
        HttpResponse<String> response = scrape("application/openmetrics-text; version=1.0.0");
        assertEquals(OPEN_METRICS, response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(response.body().endsWith("\n# EOF\n"), "ends in # EOF");
        MetricsExposition m = MetricsExposition.parseOpenMetrics(response.body());
        // OpenMetrics declares counters without _total; the samples keep the names of the text format.
        assertTypes(m, Map.of("roentgen_http_requests", "counter", "roentgen_instances", "counter",
                "roentgen_connections_refused", "counter", "roentgen_batch_size", "histogram"));
        assertEquals(CLASSIFIED, classifyRequests(m));
        assertEquals(CLASSIFIED, m.value("roentgen_instances_total", "outcome", "classified"));
        assertEquals(BATCH_SIZES, bounds(m, "roentgen_batch_size", Map.of("model", MODEL)));
        assertJvmAndProcess(m);
    }

    @Test
    void protobufIsNotServedSoTheScraperGetsText() {
        HttpResponse<String> response = scrape(
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.9,*/*;q=0.1");
        assertEquals(TEXT, response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(CLASSIFIED, classifyRequests(MetricsExposition.parseText(response.body())));
    }

    @Test
    void eachServerCountsOnlyItsOwnRequests() throws Exception {
        try (ServerFixture other = ServerFixture.start(ServerFixture.config(repo), ModelFormats.standard())) {
            HttpResponse<String> response = other.http.send(other.request("/metrics").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            MetricsExposition m = MetricsExposition.parseText(response.body());
            assertTrue(m.series("roentgen_instances_total").isEmpty(), "the other server classified nothing");
            assertTrue(m.series("roentgen_http_requests_total").stream().noneMatch(s -> CLASSIFY.equals(s.labels().get("route"))));
            assertJvmAndProcess(m);
        }
        assertEquals(CLASSIFIED, classifyRequests(MetricsExposition.parseText(scrape(null).body())));
    }

    private static double classifyRequests(MetricsExposition m) {
        return m.series("roentgen_http_requests_total").stream()
                .filter(s -> s.labels().equals(Map.of("method", "POST", "route", CLASSIFY, "status", "200")))
                .mapToDouble(MetricsExposition.Sample::value).sum();
    }

    private static void assertTypes(MetricsExposition m, Map<String, String> types) {
        types.forEach((name, type) -> {
            assertTrue(m.families().containsKey(name), name + " is exposed");
            assertEquals(type, m.families().get(name).type(), name);
        });
    }

    /** The {@code le} bounds of one histogram series, in order. */
    private static List<Double> bounds(MetricsExposition m, String histogram, Map<String, String> labels) {
        List<Double> bounds = m.series(histogram + "_bucket").stream()
                .filter(s -> s.labels().entrySet().stream().filter(e -> !e.getKey().equals("le"))
                        .allMatch(e -> e.getValue().equals(labels.get(e.getKey()))) && s.labels().size() == labels.size() + 1)
                .map(s -> s.labels().get("le").equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(s.labels().get("le")))
                .toList();
        assertTrue(!bounds.isEmpty(), histogram + labels + " has buckets");
        return bounds;
    }

    /** The client's JVM and process collectors, which the hand-written exposition never had. */
    private static void assertJvmAndProcess(MetricsExposition m) {
        assertTrue(m.value("jvm_memory_used_bytes", "area", "heap") > 0, "heap in use");
        assertTrue(m.value("jvm_threads_current") > 0, "threads");
        assertTrue(m.value("process_cpu_seconds_total") > 0, "CPU time");
    }

    private HttpResponse<String> scrape(String accept) {
        HttpRequest.Builder request = fixture.request("/metrics").GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        try {
            return fixture.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
