package io.roentgen.server;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.dicom.DataDictionary;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.sr.ReportOptions;
import io.roentgen.dicom.sr.SrClass;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.image.Preprocessing;
import io.roentgen.dicom.net.ScpConfig;
import io.roentgen.server.dimse.DicomNode;
import io.roentgen.server.export.Backoff;
import io.roentgen.server.export.CStoreSender;
import io.roentgen.server.export.Outbox;
import io.roentgen.server.export.ResultDestination;
import io.roentgen.server.export.ResultExporter;
import io.roentgen.server.export.ResultSender;
import io.roentgen.server.export.StowRsClient;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.testing.Await;
import io.roentgen.dicom.testing.OrthancProcess;
import io.roentgen.server.testing.ServerFixture;
import io.roentgen.server.testing.SyntheticDicom;
import io.roentgen.server.testing.TestRepository;
import io.roentgen.server.testing.TinyCnnClassifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
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
                    FloatImage image = Preprocessing.of(reference.preprocessing()).apply(DicomReader.defaults().read(dicom), 0);
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
                }
            }
            assertEquals(12, node.scp().metrics().instancesReceived());
            String metrics = roentgen.get("/metrics").body();
            assertTrue(metrics.contains("roentgen_dicom_instances_received_total 12.0\n"), metrics);
            assertTrue(metrics.contains("roentgen_dicom_associations_open 0.0\n"), metrics);
            assertTrue(metrics.contains("roentgen_dicom_studies_pending 0.0\n"), metrics);
        }
    }

    /** The bundle names SNOMED CT codes for its labels in model.json: the SR carries them. */
    @Test
    void orthancSendsAStudyOverDimseAndGetsTheSrBackOverCStore() throws Exception {
        routeAStudyThroughRoentgen(orthanc -> "dicom://ORTHANC@127.0.0.1:" + orthanc.dicomPort(), true);
    }

    /** No codes in the bundle: labels are coded in the local scheme. */
    @Test
    void orthancSendsAStudyOverDimseAndGetsTheSrBackOverStowRs() throws Exception {
        routeAStudyThroughRoentgen(OrthancProcess::dicomWebRoot, false);
    }

    /**
     * Orthanc sends a study; the SR comes back to Orthanc at the destination the function names,
     * through the same exporter and outbox as {@code --emit-sr} on the HTTP routes.
     */
    private void routeAStudyThroughRoentgen(java.util.function.Function<OrthancProcess, String> destination, boolean snomed)
            throws Exception {
        Path repo = Files.createDirectories(work.resolve("models"));
        Path bundle = TestRepository.addVersion(repo, "chest", "1", 41);
        if (snomed) {
            Files.writeString(bundle.resolve("model.json"), "{\"codes\": {\"normal\": {\"value\": \"17621005\", "
                    + "\"scheme\": \"SCT\", \"meaning\": \"Normal\"}, \"abnormal\": {\"value\": \"263654008\", "
                    + "\"scheme\": \"SCT\", \"meaning\": \"Abnormal\"}}}");
        }
        String study = "1.2.826.0.1.3680043.10.1137.19.99";
        int nodePort;
        try (ServerSocket probe = new ServerSocket(0)) {
            nodePort = probe.getLocalPort();
        }
        try (OrthancProcess orthanc = OrthancProcess.startWithModality(work, AE, nodePort);
                ResultExporter exporter = exporter(destination.apply(orthanc));
                ServerFixture roentgen = ServerFixture.start(ServerFixture.config(repo), ModelFormats.standard(), exporter);
                DicomNode node = DicomNode.start(ScpConfig.of(AE, nodePort, work.resolve("spool")).withMinFreeBytes(0), 300,
                        roentgen.server)) {
            String orthancStudy = null;
            for (int i = 0; i < 5; i++) {
                orthancStudy = orthanc.post("/instances", "application/dicom", SyntheticDicom.instance(study, i))
                        .get("ParentStudy").getAsString();
            }
            orthanc.post("/modalities/roentgen/store", "text/plain", orthancStudy.getBytes(StandardCharsets.UTF_8));
            Map<String, JsonObject> bySop = new HashMap<>();
            for (JsonObject r : awaitResults(roentgen, study, 5)) {
                bySop.put(r.get("sopInstanceUid").getAsString(), r);
            }

            DicomObject sr = DicomReader.defaults().read(awaitSr(orthanc, orthancStudy));
            assertEquals(SrClass.COMPREHENSIVE_3D.uid(), sr.getString(Tag.SOPClassUID));
            assertEquals(study, sr.getString(Tag.StudyInstanceUID));
            assertEquals("Synthetic^Test", sr.getString(Tag.PatientName));
            List<DicomObject> groups = new ArrayList<>();
            collect(sr, "125007", groups);
            assertEquals(5 * 2, groups.size(), "a group per instance and class");
            Map<String, Integer> groupsPerSop = new HashMap<>();
            for (DicomObject group : groups) {
                String sop = child(group, "IMAGE").getSequence(tag("ReferencedSOPSequence")).get(0)
                        .getString(tag("ReferencedSOPInstanceUID"));
                JsonObject result = bySop.get(sop);
                assertTrue(result != null, "the group references a SOP instance Orthanc sent: " + sop);
                groupsPerSop.merge(sop, 1, Integer::sum);
                DicomObject code = child(group, "CODE").getSequence(tag("ConceptCodeSequence")).get(0);
                String label = code.getString(tag("CodeMeaning")).toLowerCase(java.util.Locale.ROOT);
                assertEquals(snomed ? "SCT" : "99ROENTGEN", code.getString(tag("CodingSchemeDesignator")), code.toString());
                if (snomed) {
                    assertEquals(label.equals("abnormal") ? "263654008" : "17621005", code.getString(tag("CodeValue")));
                }
                double probability = Double.parseDouble(child(group, "NUM").getSequence(tag("MeasuredValueSequence")).get(0)
                        .getString(tag("NumericValue")));
                assertEquals(result.getAsJsonObject("scores").get(label).getAsDouble(), probability, 1e-6, label + " of " + sop);
            }
            assertEquals(bySop.keySet(), groupsPerSop.keySet(), "every instance is referenced");
            Await.until(() -> delivered(exporter), "the outbox moved the SR to done/");
            String metrics = roentgen.get("/metrics").body();
            assertTrue(metrics.contains("roentgen_sr_outbox_pending 0.0\n"), metrics);
        }
    }

    private static boolean delivered(ResultExporter exporter) {
        try {
            return exporter.outbox().done().size() == 1 && exporter.outbox().pending().isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private ResultExporter exporter(String destination) throws Exception {
        List<ResultSender> senders = List.of(new CStoreSender(AE, Duration.ofSeconds(30)),
                new StowRsClient(Duration.ofSeconds(30), null));
        Outbox outbox = new Outbox(work.resolve("outbox"), senders, new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), 100));
        return new ResultExporter(ReportOptions.defaults(), List.of(ResultDestination.parse(destination)), senders, outbox);
    }

    private static byte[] awaitSr(OrthancProcess orthanc, String orthancStudy) throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < giveUp) {
            for (var series : JsonParser.parseString(orthanc.get("/studies/" + orthancStudy + "/series")).getAsJsonArray()) {
                JsonObject s = series.getAsJsonObject();
                if ("SR".equals(s.getAsJsonObject("MainDicomTags").get("Modality").getAsString())) {
                    String instance = s.getAsJsonArray("Instances").get(0).getAsString();
                    return orthanc.getBytes("/instances/" + instance + "/file");
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no SR reached Orthanc within 30 s:\n" + orthanc.log());
    }

    /** Content items with this concept code value, anywhere in the tree. */
    private static void collect(DicomObject node, String conceptCode, List<DicomObject> out) {
        List<DicomObject> children = node.getSequence(tag("ContentSequence"));
        if (children == null) {
            return;
        }
        for (DicomObject child : children) {
            List<DicomObject> name = child.getSequence(tag("ConceptNameCodeSequence"));
            if (name != null && !name.isEmpty() && conceptCode.equals(name.get(0).getString(tag("CodeValue")))) {
                out.add(child);
            }
            collect(child, conceptCode, out);
        }
    }

    /** The first direct child of a value type. */
    private static DicomObject child(DicomObject item, String valueType) {
        for (DicomObject c : item.getSequence(tag("ContentSequence"))) {
            if (valueType.equals(c.getString(tag("ValueType")))) {
                return c;
            }
        }
        throw new AssertionError("no " + valueType + " item");
    }

    private static int tag(String keyword) {
        return DataDictionary.tagForKeyword(keyword);
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
