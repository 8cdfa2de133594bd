package io.roentgen.server.export;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.sr.ReportOptions;
import io.roentgen.dicom.sr.SrClass;
import io.roentgen.dicom.testing.SrGroups;
import io.roentgen.dicom.testing.SrValidation;
import io.roentgen.server.ServerConfig;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.testing.Await;
import io.roentgen.server.testing.Multipart;
import io.roentgen.dicom.testing.OrthancProcess;
import io.roentgen.server.testing.ServerFixture;
import io.roentgen.server.testing.SyntheticDicom;
import io.roentgen.server.testing.TestRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Roentgen's SR reaches a real PACS: Orthanc (with its DICOMweb plugin) takes it over STOW-RS,
 * and what Orthanc hands back says what Roentgen answered (codes, probabilities, references) and
 * passes the three validators. When Orthanc is down, the SR waits in the outbox and arrives once
 * Orthanc starts.
 */
class SrToOrthancTest {
    static final String STUDY = "1.2.826.0.1.3680043.10.1137.88";
    static final int INSTANCES = 3;
    static final Backoff FAST = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), 1000);

    @TempDir
    Path work;

    private Path repository() throws Exception {
        Path repo = Files.createDirectories(work.resolve("models"));
        Path bundle = TestRepository.addVersion(repo, "chest", "1", 41);
        // The bundle codes one label (SNOMED CT "Abnormal"); the other stays in the local scheme.
        Files.writeString(bundle.resolve("model.json"),
                "{\"codes\": {\"abnormal\": {\"value\": \"263654008\", \"scheme\": \"SCT\", \"meaning\": \"Abnormal\"}}}");
        return repo;
    }

    private ResultExporter exporter(String destination) throws Exception {
        Outbox outbox = new Outbox(work.resolve("outbox"), List.of(new StowRsClient(Duration.ofSeconds(30), null)), FAST);
        return new ResultExporter(ReportOptions.defaults(), List.of(ResultDestination.parse(destination)),
                List.of(new StowRsClient(Duration.ofSeconds(30), null)), outbox);
    }

    private static byte[] study() {
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            parts.add(SyntheticDicom.instance(STUDY, i));
        }
        return Multipart.body("b0undary", parts);
    }

    @Test
    void theClassifyRoutesSrArrivesInOrthancAndSaysWhatRoentgenAnswered() throws Exception {
        ServerConfig config = ServerFixture.config(repository()).withAuthToken(ServerFixture.TOKEN);
        try (OrthancProcess orthanc = OrthancProcess.start(work, "http://127.0.0.1:1/unused", "unused");
                ResultExporter exporter = exporter(orthanc.dicomWebRoot());
                ServerFixture roentgen = ServerFixture.start(config, ModelFormats.standard(), exporter)) {
            HttpResponse<String> answer = roentgen.post("/v1/models/chest/classify", Multipart.contentType("b0undary"), study());
            assertEquals(200, answer.statusCode(), answer.body());
            Map<String, Map<String, Double>> scores = scoresByInstance(answer.body());

            Await.until(() -> delivered(exporter) == 1, "the SR delivered to Orthanc");
            JsonArray instances = JsonParser.parseString(orthanc.get("/instances")).getAsJsonArray();
            assertEquals(1, instances.size(), "Orthanc holds the SR and nothing else");
            byte[] file = orthanc.getBytes("/instances/" + instances.get(0).getAsString() + "/file");
            DicomObject sr = DicomReader.defaults().read(file);
            assertEquals(SrClass.COMPREHENSIVE_3D.uid(), sr.getString(Tag.SOPClassUID));
            assertEquals(STUDY, sr.getString(Tag.StudyInstanceUID));

            List<SrGroups.Group> groups = SrGroups.read(sr);
            assertEquals(INSTANCES * 2, groups.size(), groups.toString());
            for (SrGroups.Group g : groups) {
                assertEquals(1, g.images().size());
                String label = g.finding().equals("263654008^SCT") ? "abnormal" : "normal";
                if (label.equals("normal")) {
                    assertEquals("normal^99ROENTGEN", g.finding());
                }
                Double expected = scores.get(g.images().get(0)).get(label);
                assertEquals(expected.floatValue(), (float) g.probability(), 1e-6, g.toString());
                assertEquals("1^UCUM", g.unit());
                assertTrue(g.algorithm().contains("111001=chest") && g.algorithm().contains("111003=1"), g.algorithm().toString());
                assertTrue(g.algorithm().stream().anyMatch(a -> a.matches("111002=bundle-sha256=[0-9a-f]{64}")), g.algorithm().toString());
            }
            assertEquals(scores.keySet(), new java.util.HashSet<>(groups.stream().map(g -> g.images().get(0)).toList()),
                    "every classified instance is referenced");

            Path stored = Files.write(work.resolve("from-orthanc.dcm"), file);
            assertEquals(List.of(), SrValidation.allProblems(List.of(stored)), SrValidation.describe(stored));
        }
    }

    @Test
    void anSrQueuedWhileOrthancIsDownArrivesWhenItStarts() throws Exception {
        int port = OrthancProcess.freePort();
        ServerConfig config = ServerFixture.config(repository()).withAuthToken(ServerFixture.TOKEN);
        try (ResultExporter exporter = exporter("http://127.0.0.1:" + port + "/dicom-web");
                ServerFixture roentgen = ServerFixture.start(config, ModelFormats.standard(), exporter)) {
            HttpResponse<String> pushed = roentgen.post("/dicomweb/studies", Multipart.contentType("b0undary"), study());
            assertEquals(200, pushed.statusCode(), pushed.body());
            Await.until(() -> pendingAttempts(exporter) >= 2, "the outbox retried while Orthanc was down");
            assertEquals(0, delivered(exporter));

            try (OrthancProcess orthanc = OrthancProcess.start(work, "http://127.0.0.1:1/unused", "unused", port)) {
                Await.until(() -> delivered(exporter) == 1, Duration.ofSeconds(60), "the SR delivered once Orthanc is up");
                JsonArray instances = JsonParser.parseString(orthanc.get("/instances")).getAsJsonArray();
                assertEquals(1, instances.size());
                DicomObject sr = DicomReader.defaults().read(orthanc.getBytes("/instances/" + instances.get(0).getAsString() + "/file"));
                List<String> referenced = SrGroups.read(sr).stream().flatMap(g -> g.images().stream()).distinct().sorted().toList();
                List<String> sent = new ArrayList<>();
                for (int i = 0; i < INSTANCES; i++) {
                    sent.add(SyntheticDicom.sopInstanceUid(STUDY, i));
                }
                assertEquals(sent.stream().sorted().toList(), referenced);
            }
        }
    }

    private static Map<String, Map<String, Double>> scoresByInstance(String body) {
        Map<String, Map<String, Double>> out = new HashMap<>();
        for (var e : JsonParser.parseString(body).getAsJsonObject().getAsJsonArray("results")) {
            JsonObject r = e.getAsJsonObject();
            Map<String, Double> perLabel = new HashMap<>();
            r.getAsJsonObject("scores").entrySet().forEach(s -> perLabel.put(s.getKey(), s.getValue().getAsDouble()));
            out.put(r.get("sopInstanceUid").getAsString(), perLabel);
        }
        return out;
    }

    private static int delivered(ResultExporter exporter) {
        try {
            return exporter.outbox().done().size();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int pendingAttempts(ResultExporter exporter) {
        try {
            return exporter.outbox().pending().stream().mapToInt(OutboxEntry::attempts).max().orElse(0);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
