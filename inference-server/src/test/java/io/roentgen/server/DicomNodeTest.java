package io.roentgen.server;

import com.google.gson.JsonObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.net.ScpConfig;
import io.roentgen.server.dimse.DicomNode;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.testing.OrthancProcess;
import io.roentgen.server.testing.ServerFixture;
import io.roentgen.server.testing.SyntheticDicom;
import io.roentgen.server.testing.TestRepository;
import io.roentgen.server.testing.TinyCnnClassifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DICOM node end to end: dcmtk's storescu (explicit and implicit VR little endian, RLE, JPEG
 * lossless) and Orthanc (a real PACS, {@code POST /modalities/roentgen/store}) send studies over
 * DIMSE; every instance is classified through the model's batcher, with the scores the classifier
 * itself gives, and shows up in {@code GET /v1/results}.
 */
class DicomNodeTest {
    private static final String AE = "ROENTGEN";

    @TempDir
    Path work;

    @Test
    void storescuStudiesInFourSyntaxesAreClassified() throws Exception {
        Path repo = Files.createDirectories(work.resolve("models"));
        TestRepository.addVersion(repo, "chest", "1", 41);
        try (ServerFixture roentgen = ServerFixture.start(ServerFixture.config(repo), ModelFormats.standard());
                DicomNode node = DicomNode.start(ScpConfig.of(AE, 0, work.resolve("spool")).withMinFreeBytes(0), 300,
                        roentgen.server);
                TinyCnnClassifier reference = TestRepository.reference(repo, "chest", "1")) {
            Map<String, List<String>> syntaxes = Map.of(
                    "explicit", List.of(), "implicit", List.of("-xi"), "rle", List.of("-R", "-xr"), "jpeg", List.of("-R", "-xs"));
            Map<String, String> studies = new HashMap<>();
            Map<String, float[]> expected = new HashMap<>();
            int n = 0;
            for (String name : List.of("explicit", "implicit", "rle", "jpeg")) {
                String study = "1.2.826.0.1.3680043.10.1137.19." + (++n);
                studies.put(name, study);
                Path dir = Files.createDirectories(work.resolve(name));
                for (int i = 0; i < 3; i++) {
                    byte[] dicom = SyntheticDicom.instance(study, i);
                    FloatImage image = reference.preprocessing().apply(DicomReader.defaults().read(dicom), 0);
                    expected.put(SyntheticDicom.sopInstanceUid(study, i), reference.predict(List.of(image)).get(0).probabilities());
                    Path file = dir.resolve(i + ".dcm");
                    Files.write(file, dicom);
                    if (name.equals("rle")) {
                        compress(file, "dcmcrle");
                    } else if (name.equals("jpeg")) {
                        compress(file, "dcmcjpeg", "+e1");
                    }
                }
                List<String> cmd = new ArrayList<>(List.of("storescu", "-aet", "MODALITY", "-aec", AE));
                cmd.addAll(syntaxes.get(name));
                cmd.addAll(List.of("+sd", "127.0.0.1", Integer.toString(node.scp().port()), dir.toString()));
                run(cmd);
            }
            for (String name : studies.keySet()) {
                List<JsonObject> results = awaitResults(roentgen, studies.get(name), 3);
                for (JsonObject r : results) {
                    float[] want = expected.get(r.get("sopInstanceUid").getAsString());
                    assertEquals(want[1], r.getAsJsonObject("scores").get("abnormal").getAsFloat(), 1e-5f, name + ": " + r);
                    assertEquals("dimse", r.get("source").getAsString());
                    assertEquals("MODALITY", r.get("callingAeTitle").getAsString());
                }
            }
            assertEquals(12, node.scp().metrics().instancesReceived());
        }
    }

    @Test
    void orthancSendsAStudyOverDimseAndItIsClassified() throws Exception {
        Path repo = Files.createDirectories(work.resolve("models"));
        TestRepository.addVersion(repo, "chest", "1", 41);
        String study = "1.2.826.0.1.3680043.10.1137.19.99";
        try (ServerFixture roentgen = ServerFixture.start(ServerFixture.config(repo), ModelFormats.standard());
                DicomNode node = DicomNode.start(ScpConfig.of(AE, 0, work.resolve("spool")).withMinFreeBytes(0), 300,
                        roentgen.server);
                OrthancProcess orthanc = OrthancProcess.startWithModality(work, AE, node.scp().port())) {
            String orthancStudy = null;
            for (int i = 0; i < 5; i++) {
                orthancStudy = orthanc.post("/instances", "application/dicom", SyntheticDicom.instance(study, i))
                        .get("ParentStudy").getAsString();
            }
            orthanc.post("/modalities/roentgen/store", "text/plain", orthancStudy.getBytes(StandardCharsets.UTF_8));
            List<JsonObject> results = awaitResults(roentgen, study, 5);
            for (JsonObject r : results) {
                assertEquals("ORTHANC", r.get("callingAeTitle").getAsString());
            }
        }
    }

    private static List<JsonObject> awaitResults(ServerFixture roentgen, String study, int count) throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<JsonObject> items;
        do {
            Thread.sleep(50);
            items = OrthancStowTest.HttpResultList.of(roentgen.get("/v1/results?study=" + study).body()).items();
        } while (items.size() < count && System.nanoTime() < giveUp);
        assertEquals(count, items.size(), items.toString());
        return items;
    }

    private static void compress(Path file, String... tool) throws Exception {
        Path out = file.resolveSibling(file.getFileName() + ".tmp");
        List<String> cmd = new ArrayList<>(List.of(tool));
        cmd.addAll(List.of(file.toString(), out.toString()));
        run(cmd);
        Files.move(out, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Runs a dcmtk tool to its end (60 s at most); it must exit 0. Missing dcmtk fails: .ci/run installs it. */
    private static void run(List<String> cmd) throws Exception {
        File log = File.createTempFile("dcmtk", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(cmd + " timed out");
            }
            assertEquals(0, p.exitValue(), cmd + ": " + Files.readString(log.toPath()));
            assertTrue(!Files.readString(log.toPath()).contains("E: "), Files.readString(log.toPath()));
        } finally {
            Files.deleteIfExists(log.toPath());
        }
    }
}
