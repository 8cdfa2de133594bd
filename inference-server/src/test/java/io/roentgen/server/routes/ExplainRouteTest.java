package io.roentgen.server.routes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.models.explain.CamMethod;
import io.roentgen.models.explain.Explainer;
import io.roentgen.models.explain.Explanation;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.testing.Multipart;
import io.roentgen.server.testing.ServerFixture;
import io.roentgen.server.testing.SmallBundles;
import io.roentgen.server.testing.SyntheticDicom;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/models/{m}/explain} over real HTTP: the raw map and scores equal the explainer's
 * own on the same preprocessed image, the overlay is a PNG of the input's size, multipart answers
 * per instance, bad parameters are 400, and a flood of explanations beside classification leaves
 * every classify request answered 200 (explanations get 200 or 503, never an error).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplainRouteTest {
    private static final String MODEL = "nodule";
    private static final String STUDY = "1.2.826.0.1.3680043.10.1137.7";
    private static final int SIZE = 32;

    @TempDir
    static Path repo;
    private ServerFixture fixture;
    private Path bundle;

    @BeforeAll
    void start() throws Exception {
        bundle = SmallBundles.write(repo.resolve(MODEL).resolve("1"), SIZE, 17);
        fixture = ServerFixture.start(ServerFixture.config(repo).withAuthToken(ServerFixture.TOKEN), ModelFormats.standard());
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    @Test
    void answersTheExplainersMapScoresAndAnOverlay() throws Exception {
        byte[] dicom = SyntheticDicom.instance(STUDY, 1);
        HttpResponse<String> response = fixture.post("/v1/models/" + MODEL + "/explain?method=gradcam%2B%2B&class=finding",
                "application/dicom", dicom);
        assertEquals(200, response.statusCode(), response.body());
        JsonObject result = JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonArray("results").get(0)
                .getAsJsonObject();
        assertEquals(SyntheticDicom.sopInstanceUid(STUDY, 1), result.get("sopInstanceUid").getAsString());
        JsonObject explanation = result.getAsJsonObject("explanation");
        assertEquals("gradcam++", explanation.get("method").getAsString());
        assertEquals("finding", explanation.get("label").getAsString());
        float[] raw = new Gson().fromJson(explanation.get("rawMap"), float[].class);
        float[] probabilities = new Gson().fromJson(explanation.get("probabilities"), float[].class);
        try (Explainer explainer = Explainer.load(bundle, Device.cpu(), null)) {
            FloatImage image = explainer.prepare(DicomReader.defaults().read(dicom));
            Explanation expected = explainer.explain(image, CamMethod.GRAD_CAM_PLUS_PLUS, "finding");
            assertArrayEquals(expected.raw().map(), raw, 1e-5f * Math.max(1, expected.raw().max()));
            assertArrayEquals(expected.scores().probabilities(), probabilities, 1e-5f);
        }
        byte[] png = Base64.getDecoder().decode(result.get("png").getAsString());
        assertEquals(SIZE, ImageIO.read(new ByteArrayInputStream(png)).getWidth());
    }

    @Test
    void multipartAnswersPerInstance() throws Exception {
        List<byte[]> instances = List.of(SyntheticDicom.instance(STUDY, 2), SyntheticDicom.withoutPixels(STUDY, 3));
        HttpResponse<String> response = fixture.post("/v1/models/" + MODEL + "/explain", Multipart.contentType("b0und"),
                Multipart.body("b0und", instances));
        assertEquals(200, response.statusCode(), response.body());
        JsonArray results = JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonArray("results");
        assertEquals("gradcam", results.get(0).getAsJsonObject().getAsJsonObject("explanation").get("method").getAsString());
        assertEquals(422, results.get(1).getAsJsonObject().get("status").getAsInt());
    }

    @Test
    void badParametersAre400() throws Exception {
        byte[] dicom = SyntheticDicom.instance(STUDY, 4);
        HttpResponse<String> r = fixture.post("/v1/models/" + MODEL + "/explain?class=tumour", "application/dicom", dicom);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("tumour"), r.body());
        r = fixture.post("/v1/models/" + MODEL + "/explain?method=lime", "application/dicom", dicom);
        assertEquals(400, r.statusCode(), r.body());
    }

    @Test
    void aFloodOfExplanationsNeverFailsClassification() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> explains = new ArrayList<>();
            List<Future<Integer>> classifies = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                byte[] dicom = SyntheticDicom.instance(STUDY, 100 + i);
                explains.add(clients.submit(() -> fixture.post("/v1/models/" + MODEL + "/explain", "application/dicom", dicom)
                        .statusCode()));
                classifies.add(clients.submit(() -> fixture.post("/v1/models/" + MODEL + "/classify", "application/dicom",
                        dicom).statusCode()));
            }
            for (Future<Integer> f : classifies) {
                assertEquals(200, f.get());
            }
            int explained = 0;
            for (Future<Integer> f : explains) {
                int status = f.get();
                assertTrue(status == 200 || status == 503, "explain answered " + status);
                explained += status == 200 ? 1 : 0;
            }
            assertTrue(explained > 0, "no explanation got through");
        } finally {
            clients.shutdownNow();
        }
    }
}
