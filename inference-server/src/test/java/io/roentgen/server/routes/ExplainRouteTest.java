package io.roentgen.server.routes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.models.explain.CamMethod;
import io.roentgen.models.explain.Explainer;
import io.roentgen.models.explain.Explanation;
import io.roentgen.models.explain.ProbabilitySegmentation;
import io.roentgen.models.explain.SecondaryCapture;
import io.roentgen.server.http.MediaType;
import io.roentgen.server.http.MultipartRelatedReader;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.testing.Multipart;
import io.roentgen.server.testing.ServerFixture;
import io.roentgen.server.testing.SmallBundles;
import io.roentgen.server.testing.SyntheticDicom;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * per instance, {@code Accept: multipart/related; type="application/dicom"} answers the SC (or the
 * SEG with {@code dicom=seg}) as DICOM parts, KServe's infer offers the map as an output tensor
 * named {@code gradcam} equal to the explainer's, bad parameters are 400, and a flood of explanations beside classification leaves
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
    void acceptMultipartDicomAnswersTheScOrTheSegAsDicomParts() throws Exception {
        byte[] dicom = SyntheticDicom.instance(STUDY, 5);
        List<DicomObject> sc = dicomParts("/v1/models/" + MODEL + "/explain", dicom);
        assertEquals(1, sc.size());
        assertEquals(SecondaryCapture.SOP_CLASS, sc.get(0).getString(Tag.SOPClassUID));
        assertEquals(STUDY, sc.get(0).getString(Tag.StudyInstanceUID));
        List<DicomObject> seg = dicomParts("/v1/models/" + MODEL + "/explain?dicom=seg&class=finding", dicom);
        assertEquals(ProbabilitySegmentation.SOP_CLASS, seg.get(0).getString(Tag.SOPClassUID));
        DicomObject item = seg.get(0).getSequence(0x00081115).get(0).getSequence(0x0008114A).get(0);
        assertEquals(SyntheticDicom.sopInstanceUid(STUDY, 5), item.getString(Tag.ReferencedSOPInstanceUID));
        assertEquals("finding", seg.get(0).getSequence(0x00620002).get(0).getString(0x00620005));
    }

    private List<DicomObject> dicomParts(String path, byte[] dicom) throws Exception {
        HttpResponse<byte[]> response = fixture.http.send(fixture.request(path).header("Content-Type", "application/dicom")
                .header("Accept", "multipart/related; type=\"application/dicom\"")
                .POST(HttpRequest.BodyPublishers.ofByteArray(dicom)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        MediaType type = MediaType.parse(response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(type.is("multipart/related") && "application/dicom".equals(type.parameter("type")), type.toString());
        MultipartRelatedReader reader = new MultipartRelatedReader(new ByteArrayInputStream(response.body()),
                MultipartRelatedReader.boundaryOf(type), MultipartRelatedReader.Limits.of(1 << 24));
        List<DicomObject> parts = new ArrayList<>();
        for (MultipartRelatedReader.Part part = reader.next(); part != null; part = reader.next()) {
            assertTrue(part.contentType().is("application/dicom"));
            parts.add(DicomReader.defaults().read(part.body()));
        }
        return parts;
    }

    @Test
    void kserveOffersTheMapAsAnOutputTensorWhenAsked() throws Exception {
        FloatImage image = SmallBundles.images(1, SIZE, 3).get(0);
        JsonObject input = new JsonObject();
        input.addProperty("name", "input");
        input.addProperty("datatype", "FP32");
        input.add("shape", new Gson().toJsonTree(new int[] {1, 1, SIZE, SIZE}));
        input.add("data", new Gson().toJsonTree(image.data()));
        JsonObject request = new JsonObject();
        request.add("inputs", new JsonArray());
        request.getAsJsonArray("inputs").add(input);
        request.add("outputs", JsonParser.parseString("[{\"name\": \"gradcam\", \"parameters\": {\"class\": \"finding\"}},"
                + " {\"name\": \"probabilities\"}]"));
        HttpResponse<String> r = fixture.post("/v2/models/" + MODEL + "/infer", "application/json",
                request.toString().getBytes(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), r.body());
        JsonArray outputs = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("outputs");
        JsonObject map = outputs.get(0).getAsJsonObject();
        assertEquals("gradcam", map.get("name").getAsString());
        assertEquals("FP32", map.get("datatype").getAsString());
        assertArrayEquals(new int[] {1, SIZE, SIZE}, new Gson().fromJson(map.get("shape"), int[].class));
        assertEquals("probabilities", outputs.get(1).getAsJsonObject().get("name").getAsString());
        try (Explainer explainer = Explainer.load(bundle, Device.cpu(), null)) {
            Explanation expected = explainer.explain(image, CamMethod.GRAD_CAM, "finding");
            assertArrayEquals(expected.map(), new Gson().fromJson(map.get("data"), float[].class), 1e-5f);
        }
        request.add("outputs", JsonParser.parseString("[{\"name\": \"saliency\"}]"));
        r = fixture.post("/v2/models/" + MODEL + "/infer", "application/json", request.toString().getBytes(StandardCharsets.UTF_8));
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("saliency"), r.body());
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
