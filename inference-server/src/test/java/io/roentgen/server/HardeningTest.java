package io.roentgen.server;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.testing.RawHttp;
import io.roentgen.server.testing.ServerFixture;
import io.roentgen.server.testing.SyntheticDicom;
import io.roentgen.server.testing.TestRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Findings of a hostile test of the server (issue 18), each with its regression test: numbers
 * that are not FP32, KServe bodies of the wrong shape or type, broken models, bodies that are
 * empty or badly chunked, and the gap between unload and load.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HardeningTest {
    private static final String MODEL = "chest";
    private static final String STUDY = "1.2.826.0.1.3680043.10.1137.18";
    private static final int PIXELS = 64 * 64;

    @TempDir
    static Path repo;
    ServerFixture fixture;

    @BeforeAll
    void start() throws Exception {
        TestRepository.addVersion(repo, MODEL, "1", 11);
        TestRepository.addVersion(repo, "spare", "1", 12);
        fixture = ServerFixture.start(ServerFixture.config(repo).withMaxBodyBytes(8 << 20), ModelFormats.standard());
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    private HttpResponse<String> infer(String contentType, String body) throws Exception {
        HttpRequest.Builder request = fixture.request("/v2/models/" + MODEL + "/infer")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return fixture.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String tensor(String shape, String data) {
        return "{\"id\": \"r1\", \"inputs\": [{\"name\": \"input\", \"datatype\": \"FP32\", \"shape\": " + shape
                + ", \"data\": " + data + "}]}";
    }

    private static String values(int n, int badIndex, String bad) {
        String[] v = new String[n];
        Arrays.fill(v, "0.25");
        if (badIndex >= 0) {
            v[badIndex] = bad;
        }
        return "[" + String.join(", ", v) + "]";
    }

    private static String error(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject().get("error").getAsString();
    }

    @Test
    void kserveValuesBeyondFp32Give400NamingTheFirstBadIndex() throws Exception {
        HttpResponse<String> overflow = infer("application/json", tensor("[1, 1, 64, 64]", values(PIXELS, 5, "1e39")));
        assertEquals(400, overflow.statusCode(), overflow.body());
        assertTrue(error(overflow).contains("data[5]"), overflow.body());
        HttpResponse<String> negative = infer("application/json", tensor("[1, 1, 64, 64]", values(PIXELS, 77, "-3.5e38")));
        assertEquals(400, negative.statusCode(), negative.body());
        assertTrue(error(negative).contains("data[77]"), negative.body());
        HttpResponse<String> nan = infer("application/json", tensor("[1, 1, 64, 64]", values(PIXELS, 3, "NaN")));
        assertEquals(400, nan.statusCode(), nan.body());
        HttpResponse<String> fine = infer("application/json", tensor("[1, 1, 64, 64]", values(PIXELS, 9, "3e38")));
        assertTrue(fine.statusCode() == 200 || fine.statusCode() == 500, "3e38 is a float: scored, or 500 if the model overflows");
    }

    @Test
    void kserveShapeMustHoldIntegersAndTheBodyMustBeJson() throws Exception {
        HttpResponse<String> fraction = infer("application/json", tensor("[1.5, 1, 64, 64]", values(PIXELS, -1, "")));
        assertEquals(400, fraction.statusCode(), fraction.body());
        assertTrue(error(fraction).contains("integers"), fraction.body());
        HttpResponse<String> text = infer("text/plain", tensor("[1, 1, 64, 64]", values(PIXELS, -1, "")));
        assertEquals(415, text.statusCode(), text.body());
        HttpResponse<String> form = infer("application/x-www-form-urlencoded", tensor("[1, 1, 64, 64]", values(PIXELS, -1, "")));
        assertEquals(415, form.statusCode(), form.body());
        HttpResponse<String> json = infer("application/json; charset=utf-8", tensor("[1, 1, 64, 64]", values(PIXELS, -1, "")));
        assertEquals(200, json.statusCode(), json.body());
        assertEquals("r1", JsonParser.parseString(json.body()).getAsJsonObject().get("id").getAsString());
        HttpResponse<String> bare = infer(null, tensor("[1, 1, 64, 64]", values(PIXELS, -1, "")));
        assertEquals(200, bare.statusCode(), "no Content-Type is taken as JSON: " + bare.body());
    }

    @Test
    void kserveDataIsBoundedByTheDeclaredShapeWhileItStreams() throws Exception {
        HttpResponse<String> more = infer("application/json", tensor("[1, 1, 64, 64]", values(PIXELS + 1, -1, "")));
        assertEquals(400, more.statusCode(), more.body());
        assertTrue(error(more).contains("more values than its shape"), more.body());
        // Data before shape: bounded by the largest batch, then checked against the shape.
        String dataFirst = "{\"inputs\": [{\"data\": " + values(PIXELS * 2, -1, "")
                + ", \"datatype\": \"FP32\", \"shape\": [1, 1, 64, 64]}]}";
        HttpResponse<String> late = infer("application/json", dataFirst);
        assertEquals(400, late.statusCode(), late.body());
        HttpResponse<String> truncated = infer("application/json", tensor("[1, 1, 64, 64]", values(PIXELS, -1, "")).substring(0, 500));
        assertEquals(400, truncated.statusCode(), truncated.body());
    }

    /** An input that overflows a model's activations: the scores are NaN, and the answer says so as JSON. */
    @Test
    void nonFiniteScoresGive500WithAJsonBody() throws Exception {
        HttpResponse<String> huge = infer("application/json", tensor("[1, 1, 64, 64]", values(PIXELS, -1, "").replace("0.25", "3.0e38")));
        if (huge.statusCode() == 200) {
            JsonObject body = JsonParser.parseString(huge.body()).getAsJsonObject();
            for (var v : body.getAsJsonArray("outputs").get(0).getAsJsonObject().getAsJsonArray("data")) {
                assertTrue(Float.isFinite(v.getAsFloat()), "a 200 carries finite scores only: " + huge.body());
            }
        } else {
            assertEquals(500, huge.statusCode(), huge.body());
            assertTrue(error(huge).contains("non-finite"), huge.body());
        }
        assertEquals(200, fixture.get("/v2/health/ready").statusCode(), "the server stays ready");
    }

    @Test
    void aBundleGivingNanScoresIsRefusedAtLoadAndNeverReady() throws Exception {
        TestRepository.addDamagedVersion(repo, "damaged", "1");
        HttpResponse<String> load = fixture.http.send(fixture.request("/v2/repository/models/damaged/load")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, load.statusCode(), load.body());
        assertTrue(error(load).contains("non-finite"), load.body());
        HttpResponse<String> ready = fixture.get("/v2/models/damaged/ready");
        assertEquals(503, ready.statusCode(), ready.body());
        assertTrue(ready.headers().firstValue("Retry-After").isPresent());
        HttpResponse<String> index = fixture.http.send(fixture.request("/v2/repository/index")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(index.body().contains("\"name\":\"damaged\"") && index.body().contains("UNAVAILABLE"), index.body());
    }

    @Test
    void anUnloadedModelAnswers503WithRetryAfterUntilItIsLoadedAgain() throws Exception {
        byte[] dicom = SyntheticDicom.instance(STUDY, 1);
        assertEquals(200, fixture.post("/v1/models/spare/classify", "application/dicom", dicom).statusCode());
        assertEquals(200, post("/v2/repository/models/spare/unload").statusCode());
        HttpResponse<String> gap = fixture.post("/v1/models/spare/classify", "application/dicom", dicom);
        assertEquals(503, gap.statusCode(), gap.body());
        assertEquals("5", gap.headers().firstValue("Retry-After").orElse(""), gap.body());
        assertEquals(404, fixture.post("/v1/models/nosuch/classify", "application/dicom", dicom).statusCode(),
                "a model the repository does not hold stays 404");
        assertEquals(200, post("/v2/repository/models/spare/load").statusCode());
        assertEquals(200, fixture.post("/v1/models/spare/classify", "application/dicom", dicom).statusCode());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return fixture.http.send(fixture.request(path).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anEmptyBodyIs400() throws Exception {
        HttpResponse<String> empty = fixture.post("/v1/models/" + MODEL + "/classify", "application/dicom", new byte[0]);
        assertEquals(400, empty.statusCode(), empty.body());
        assertTrue(error(empty).contains("empty"), empty.body());
    }

    /** Bad chunking on every body route: a 400 with a JSON body, not a 500 or an empty answer. */
    @Test
    void malformedChunkedBodiesGive400WithJson() throws Exception {
        String[][] routes = {
            {"/v1/models/" + MODEL + "/classify", "application/dicom"},
            {"/dicomweb/studies", "multipart/related; type=\"application/dicom\"; boundary=b"},
            {"/v2/models/" + MODEL + "/infer", "application/json"},
        };
        for (String[] route : routes) {
            for (String body : new String[] {"zz\r\nabc\r\n0\r\n\r\n", "5\r\nabc", "FFFFFFFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n"}) {
                String response = raw("POST " + route[0] + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + route[1]
                        + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + body, body.equals("5\r\nabc"));
                String status = response.lines().findFirst().orElse("");
                assertTrue(status.startsWith("HTTP/1.1 400"), route[0] + " with body " + body.replace("\r\n", "|") + ": " + response);
                String lower = response.toLowerCase(Locale.ROOT);
                if (lower.contains("content-type: application/json")) {
                    assertTrue(response.contains("\"error\""), response);
                }
                assertFalse(status.startsWith("HTTP/1.1 5"), response);
            }
        }
        assertEquals(200, fixture.get("/v2/health/ready").statusCode(), "the server stays ready");
    }

    /** Sends raw bytes and reads the answer; {@code halfClose} ends the body early by shutting output. */
    private String raw(String request, boolean halfClose) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", fixture.server.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            return RawHttp.readResponse(socket.getInputStream());
        }
    }
}
