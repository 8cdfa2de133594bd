package io.roentgen.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.image.Preprocessing;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.dicom.testing.OrthancProcess;
import io.roentgen.server.testing.ServerFixture;
import io.roentgen.server.testing.SyntheticDicom;
import io.roentgen.server.testing.TestRepository;
import io.roentgen.server.testing.TinyCnnClassifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real PACS pushes a study: Orthanc stores synthetic instances, then its DICOMweb plugin sends
 * them to Roentgen with STOW-RS (chunked, with a bearer token); Orthanc's job must succeed and
 * every instance must have its classification, equal to the classifier's own answer.
 */
class OrthancStowTest {
    static final String STUDY = "1.2.826.0.1.3680043.10.1137.77";
    static final int INSTANCES = 12;

    @TempDir
    Path work;

    @Test
    void orthancPushesAStudyAndEveryInstanceIsClassified() throws Exception {
        Path repo = Files.createDirectories(work.resolve("models"));
        TestRepository.addVersion(repo, "chest", "1", 41);
        ServerConfig config = ServerFixture.config(repo).withAuthToken(ServerFixture.TOKEN)
                .withResults("chest", 1000, work.resolve("results.jsonl"));
        try (ServerFixture roentgen = ServerFixture.start(config, ModelFormats.standard());
                OrthancProcess orthanc = OrthancProcess.start(work, "http://127.0.0.1:" + roentgen.server.port() + "/dicomweb/",
                        ServerFixture.TOKEN);
                TinyCnnClassifier reference = TestRepository.reference(repo, "chest", "1")) {
            Map<String, float[]> expected = new HashMap<>();
            String orthancStudy = null;
            for (int i = 0; i < INSTANCES; i++) {
                byte[] dicom = SyntheticDicom.instance(STUDY, i);
                FloatImage image = Preprocessing.of(reference.preprocessing()).apply(DicomReader.defaults().read(dicom), 0);
                expected.put(SyntheticDicom.sopInstanceUid(STUDY, i), reference.predict(List.of(image)).get(0).probabilities());
                orthancStudy = orthanc.post("/instances", "application/dicom", dicom).get("ParentStudy").getAsString();
            }
            String request = "{\"Resources\": [\"" + orthancStudy + "\"], \"Asynchronous\": true}";
            String job = orthanc.post("/dicom-web/servers/roentgen/stow", "application/json",
                    request.getBytes(StandardCharsets.UTF_8)).get("ID").getAsString();
            JsonObject state = awaitJob(orthanc, job);
            assertEquals("Success", state.get("State").getAsString(), state + "\n" + orthanc.log());

            HttpResultList results = HttpResultList.of(roentgen.get("/v1/results?study=" + STUDY).body());
            assertEquals(INSTANCES, results.size(), results.toString());
            for (JsonObject r : results.items) {
                float[] want = expected.get(r.get("sopInstanceUid").getAsString());
                assertEquals(want[1], r.getAsJsonObject("scores").get("abnormal").getAsFloat(), 1e-5f, r.toString());
                assertEquals(STUDY, r.get("studyInstanceUid").getAsString());
            }
            assertEquals(INSTANCES, Files.readAllLines(work.resolve("results.jsonl")).size());
        }
    }

    static JsonObject awaitJob(OrthancProcess orthanc, String job) throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            JsonObject state = JsonParser.parseString(orthanc.get("/jobs/" + job)).getAsJsonObject();
            String s = state.get("State").getAsString();
            if (s.equals("Success") || s.equals("Failure") || System.nanoTime() > giveUp) {
                return state;
            }
            Thread.sleep(50);
        }
    }

    record HttpResultList(List<JsonObject> items) {
        static HttpResultList of(String body) {
            JsonArray a = JsonParser.parseString(body).getAsJsonObject().getAsJsonArray("results");
            List<JsonObject> items = new ArrayList<>();
            a.forEach(e -> items.add(e.getAsJsonObject()));
            return new HttpResultList(items);
        }

        int size() {
            return items.size();
        }
    }
}
