package io.roentgen.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.image.Preprocessing;
import io.roentgen.models.Scores;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.testing.MetricsExposition;
import io.roentgen.server.testing.Multipart;
import io.roentgen.server.testing.ServerFixture;
import io.roentgen.server.testing.SyntheticDicom;
import io.roentgen.server.testing.TestRepository;
import io.roentgen.server.testing.TinyCnnClassifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server over real HTTP with a real (small) CNN: answers, concurrency, errors, fuzzing, hot reload. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InferenceServerTest {
    static final String MODEL = "chest";
    static final String STUDY = "1.2.826.0.1.3680043.10.1137.1";
    static final float TOLERANCE = 1e-5f;

    @TempDir
    static Path repo;
    ServerFixture fixture;
    final Map<String, TinyCnnClassifier> references = new ConcurrentHashMap<>();

    @BeforeAll
    void start() throws Exception {
        TestRepository.addVersion(repo, MODEL, "1", 11);
        TestRepository.addVersion(repo, "other", "1", 12);
        ServerConfig config = ServerFixture.config(repo).withAuthToken(ServerFixture.TOKEN).withMaxBodyBytes(4 << 20);
        fixture = ServerFixture.start(config, ModelFormats.standard());
    }

    @AfterAll
    void stop() {
        fixture.close();
        references.values().forEach(TinyCnnClassifier::close);
    }

    /** What the classifier says when called directly, batch of one, on the same preprocessed image. */
    float[] expected(String version, byte[] dicom) throws Exception {
        TinyCnnClassifier reference = references.computeIfAbsent(version, v -> {
            try {
                return TestRepository.reference(repo, MODEL, v);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        FloatImage image = Preprocessing.of(reference.preprocessing()).apply(DicomReader.defaults().read(dicom), 0);
        synchronized (reference) {
            Scores scores = reference.predict(List.of(image)).get(0);
            return scores.probabilities();
        }
    }

    static JsonObject json(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    static void assertScores(float[] expected, JsonObject result) {
        JsonObject scores = result.getAsJsonObject("scores");
        assertEquals(expected[0], scores.get("normal").getAsFloat(), TOLERANCE, result.toString());
        assertEquals(expected[1], scores.get("abnormal").getAsFloat(), TOLERANCE, result.toString());
    }

    @Test
    void classifiesOneInstanceLikeTheClassifierItself() throws Exception {
        byte[] dicom = SyntheticDicom.instance(STUDY, 1);
        HttpResponse<String> response = fixture.post("/v1/models/" + MODEL + "/classify", "application/dicom", dicom);
        assertEquals(200, response.statusCode(), response.body());
        JsonObject result = json(response).getAsJsonArray("results").get(0).getAsJsonObject();
        assertScores(expected("1", dicom), result);
        assertEquals(SyntheticDicom.sopInstanceUid(STUDY, 1), result.get("sopInstanceUid").getAsString());
        assertEquals(STUDY, result.get("studyInstanceUid").getAsString());
        assertEquals(MODEL, result.get("model").getAsString());
        assertEquals("1", result.get("version").getAsString());
        assertEquals(0.5f, result.getAsJsonObject("thresholds").get("abnormal").getAsFloat());
    }

    @Test
    void classifiesMultipartRelatedInRequestOrder() throws Exception {
        List<byte[]> instances = List.of(SyntheticDicom.instance(STUDY, 2), SyntheticDicom.instance(STUDY, 3),
                SyntheticDicom.withoutPixels(STUDY, 4));
        HttpResponse<String> response = fixture.post("/v1/models/" + MODEL + "/classify", Multipart.contentType("b0undary"),
                Multipart.body("b0undary", instances));
        assertEquals(200, response.statusCode(), response.body());
        JsonArray results = json(response).getAsJsonArray("results");
        assertScores(expected("1", instances.get(0)), results.get(0).getAsJsonObject());
        assertScores(expected("1", instances.get(1)), results.get(1).getAsJsonObject());
        assertEquals(422, results.get(2).getAsJsonObject().get("status").getAsInt());
    }

    @Test
    void kserveInferMatchesTheClassifier() throws Exception {
        byte[] dicom = SyntheticDicom.instance(STUDY, 5);
        FloatImage image = Preprocessing.of(references.computeIfAbsent("1", v -> load(v)).preprocessing())
                .apply(DicomReader.defaults().read(dicom), 0);
        JsonObject input = new JsonObject();
        input.addProperty("name", "input");
        input.addProperty("datatype", "FP32");
        JsonArray shape = new JsonArray();
        for (int d : new int[] {1, 1, 64, 64}) {
            shape.add(d);
        }
        input.add("shape", shape);
        JsonArray data = new JsonArray();
        for (float f : image.data()) {
            data.add(f);
        }
        input.add("data", data);
        JsonObject request = new JsonObject();
        request.addProperty("id", "req-1");
        JsonArray inputs = new JsonArray();
        inputs.add(input);
        request.add("inputs", inputs);
        HttpResponse<String> response = fixture.post("/v2/models/" + MODEL + "/infer", "application/json",
                request.toString().getBytes(StandardCharsets.UTF_8));
        assertEquals(200, response.statusCode(), response.body());
        JsonObject output = json(response).getAsJsonArray("outputs").get(0).getAsJsonObject();
        float[] expected = expected("1", dicom);
        assertEquals(expected[0], output.getAsJsonArray("data").get(0).getAsFloat(), TOLERANCE);
        assertEquals(expected[1], output.getAsJsonArray("data").get(1).getAsFloat(), TOLERANCE);
        assertEquals("req-1", json(response).get("id").getAsString());

        assertEquals(200, fixture.get("/v2/health/live").statusCode());
        assertEquals(200, fixture.get("/v2/health/ready").statusCode());
        assertEquals(200, fixture.get("/v2/models/" + MODEL + "/ready").statusCode());
        assertEquals(200, fixture.get("/v2/models/" + MODEL + "/versions/1").statusCode());
        assertTrue(fixture.get("/v2").body().contains("model_repository"));
        assertTrue(fixture.get("/v2/models/" + MODEL).body().contains("[-1,1,64,64]"));
    }

    private TinyCnnClassifier load(String version) {
        try {
            return TestRepository.reference(repo, MODEL, version);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void sixtyFourConcurrentClientsGetTheirOwnRightAnswersInSharedBatches() throws Exception {
        int clients = 64;
        int perClient = 3;
        List<byte[]> instances = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            instances.add(SyntheticDicom.instance(STUDY, 100 + i));
            expected.add(expected("1", instances.get(i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    for (int r = 0; r < perClient; r++) {
                        HttpResponse<String> response = fixture.post("/v1/models/" + MODEL + "/classify", "application/dicom",
                                instances.get(client));
                        assertEquals(200, response.statusCode(), response.body());
                        JsonObject result = json(response).getAsJsonArray("results").get(0).getAsJsonObject();
                        assertEquals(SyntheticDicom.sopInstanceUid(STUDY, 100 + client), result.get("sopInstanceUid").getAsString());
                        assertScores(expected.get(client), result);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        String body = fixture.get("/metrics").body();
        MetricsExposition metrics = MetricsExposition.parseText(body);
        double single = metrics.value("roentgen_batch_size_bucket", "model", "chest", "le", "1.0");
        double all = metrics.value("roentgen_batch_size_count", "model", "chest");
        assertTrue(all > single, "some forward passes took more than one image:\n" + body);
        assertTrue(metrics.value("roentgen_http_requests_total", "method", "POST", "route", "/v1/models/{model}/classify",
                "status", "200") > 0);
    }

    @Test
    void everyErrorHasItsStatusAndAJsonBody() throws Exception {
        String classify = "/v1/models/" + MODEL + "/classify";
        assertError(400, fixture.post(classify, "application/dicom", "not a DICOM file at all".getBytes(StandardCharsets.US_ASCII)));
        HttpResponse<String> anonymous = fixture.http.send(HttpRequest.newBuilder(fixture.uri(classify))
                .header("Content-Type", "application/dicom")
                .POST(HttpRequest.BodyPublishers.ofByteArray(SyntheticDicom.instance(STUDY, 6))).build(), HttpResponse.BodyHandlers.ofString());
        assertError(401, anonymous);
        HttpResponse<String> wrongToken = fixture.http.send(HttpRequest.newBuilder(fixture.uri("/v2/models/" + MODEL))
                .header("Authorization", "Bearer nope").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertError(401, wrongToken);
        assertEquals(200, fixture.http.send(HttpRequest.newBuilder(fixture.uri("/v2/health/live")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "health needs no token");
        assertError(404, fixture.post("/v1/models/nosuch/classify", "application/dicom", SyntheticDicom.instance(STUDY, 6)));
        assertError(404, fixture.get("/v2/models/" + MODEL + "/versions/7"));
        assertError(404, fixture.get("/v2/no/such/route"));
        assertError(413, fixture.post(classify, "application/dicom", new byte[5 << 20]));
        HttpResponse<String> chunkedTooLarge = fixture.http.send(fixture.request(classify).header("Content-Type", "application/dicom")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[5 << 20]))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(413, chunkedTooLarge);
        assertError(415, fixture.post(classify, "image/png", new byte[10]));
        assertError(415, fixture.post("/dicomweb/studies", "application/dicom", SyntheticDicom.instance(STUDY, 6)));
        assertError(422, fixture.post(classify, "application/dicom", SyntheticDicom.withoutPixels(STUDY, 6)));
        HttpResponse<String> unsupported = fixture.post(classify, "application/dicom", SyntheticDicom.unsupportedTransferSyntax(STUDY, 6));
        assertError(422, unsupported);
        assertTrue(unsupported.body().contains("transfer syntax"), unsupported.body());
        assertError(400, fixture.post("/v2/models/" + MODEL + "/infer", "application/json", "{\"inputs\": [".getBytes(StandardCharsets.UTF_8)));
        assertError(400, fixture.post("/v2/models/" + MODEL + "/infer", "application/json",
                "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,1,2,2],\"data\":[1,2,3,4]}]}".getBytes(StandardCharsets.UTF_8)));
    }

    static void assertError(int status, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(JsonParser.parseString(response.body()).getAsJsonObject().has("error"), response.body());
    }

    @Test
    void stowRsStoresClassifiesAndReportsFailures() throws Exception {
        String study = "1.2.826.0.1.3680043.10.1137.2";
        List<byte[]> instances = List.of(SyntheticDicom.instance(study, 1), SyntheticDicom.instance(study, 2),
                SyntheticDicom.unsupportedTransferSyntax(study, 3));
        HttpResponse<String> response = fixture.post("/dicomweb/studies", Multipart.contentType("xyz"), Multipart.body("xyz", instances));
        assertEquals(202, response.statusCode(), response.body());
        assertEquals("application/dicom+json", response.headers().firstValue("Content-Type").orElse(""));
        JsonObject body = json(response);
        assertEquals(2, body.getAsJsonObject("00081199").getAsJsonArray("Value").size());
        JsonObject failed = body.getAsJsonObject("00081198").getAsJsonArray("Value").get(0).getAsJsonObject();
        assertEquals(0xC122, failed.getAsJsonObject("00081197").getAsJsonArray("Value").get(0).getAsInt());
        assertEquals(SyntheticDicom.sopInstanceUid(study, 3), failed.getAsJsonObject("00081155").getAsJsonArray("Value").get(0).getAsString());

        JsonArray results = json(fixture.get("/v1/results?study=" + study)).getAsJsonArray("results");
        assertEquals(2, results.size());
        assertScores(expected("1", instances.get(0)), results.get(0).getAsJsonObject());

        HttpResponse<String> none = fixture.post("/dicomweb/studies/" + study, Multipart.contentType("xyz"),
                Multipart.body("xyz", List.of(SyntheticDicom.instance("1.2.3.999", 1))));
        assertEquals(409, none.statusCode(), none.body());
    }

    @Test
    void fuzzedBodiesNeverGiveAServerError() throws Exception {
        SplittableRandom random = new SplittableRandom(2024);
        byte[] dicom = SyntheticDicom.instance(STUDY, 7);
        byte[] multipart = Multipart.body("fz", List.of(dicom, SyntheticDicom.instance(STUDY, 8)));
        String[][] targets = {
            {"/v1/models/" + MODEL + "/classify", "application/dicom"},
            {"/v1/models/" + MODEL + "/classify", Multipart.contentType("fz")},
            {"/dicomweb/studies", Multipart.contentType("fz")},
            {"/v2/models/" + MODEL + "/infer", "application/json"},
        };
        byte[] json = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,1,64,64],\"data\":[[1,2],[3]]}]}"
                .getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 240; i++) {
            String[] target = targets[i % targets.length];
            byte[] seed = target[1].startsWith("multipart") ? multipart : target[1].equals("application/json") ? json : dicom;
            byte[] body = Fuzz.mutate(seed, random);
            HttpResponse<String> response = fixture.post(target[0], target[1], body);
            assertTrue(response.statusCode() < 500, "fuzz case " + i + " on " + target[0] + ": " + response.statusCode() + " " + response.body());
        }
    }
}
