package io.roentgen.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.EncapsulatedPixelData;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.TransferSyntax;
import io.roentgen.engine.FileTrees;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code roentgen serve} from the packaged jar, in its own JVM, over a bundle that
 * {@code roentgen train} (also from the jar) wrote: the answers equal {@code roentgen predict},
 * SIGTERM with requests in flight, no patient identifier in anything the server writes, and
 * {@code --stow-model}.
 */
class ServeIT {
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);
    private static final Pattern IN_FLIGHT = Pattern.compile("(?m)^roentgen_http_requests_in_flight (\\d+)(?:\\.0)?$"); // the client writes gauges as doubles

    @TempDir
    static Path shared;
    static Path bundle;
    static List<Path> dicoms;

    @TempDir
    Path temp;

    @BeforeAll
    static void trainWithTheJar() throws Exception {
        Path data = shared.resolve("data");
        Path logs = shared.resolve("logs");
        ChildProcess.Result synth = ChildProcess.runJar(logs, COMMAND_TIMEOUT, "synth", "--out", data.toString(),
                "--patients", "24", "--size", "32", "--seed", "7");
        assertEquals(0, synth.code(), synth.err());
        ChildProcess.Result train = ChildProcess.runJar(logs, COMMAND_TIMEOUT, "train", "--data",
                data.resolve("manifest.csv").toString(), "--arch", "small", "--image-size", "32", "--epochs", "1",
                "--batch-size", "8", "--out", shared.resolve("run").toString(), "--seed", "3");
        assertEquals(0, train.code(), train.err());
        bundle = shared.resolve("run/bundle");
        try (Stream<Path> walk = Files.walk(data)) {
            dicoms = walk.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
        assertTrue(dicoms.size() >= 24, "synth wrote " + dicoms.size() + " files");
    }

    /** A repository with the trained bundle as version 1 of each model. */
    private Path repository(String... models) throws Exception {
        Path repository = Files.createDirectories(temp.resolve("repository"));
        for (String model : models) {
            FileTrees.copy(bundle, repository.resolve(model).resolve("1"));
        }
        return repository;
    }

    private ServerProcess serve(List<String> jvmFlags, String... args) throws Exception {
        return ServerProcess.start(temp.resolve("logs"), jvmFlags, args);
    }

    @Test
    void servesWhatTrainWroteAndAnswersLikePredict() throws Exception {
        Path repository = repository("chest");
        List<Path> files = dicoms.subList(0, 6);
        String[] predictArgs = Stream.concat(Stream.of("predict", "--model", bundle.toString(), "--format", "json"),
                files.stream().map(Path::toString)).toArray(String[]::new);
        ChildProcess.Result predicted = ChildProcess.runJar(temp.resolve("logs"), COMMAND_TIMEOUT, predictArgs);
        assertEquals(0, predicted.code(), predicted.err());
        JsonArray offline = JsonParser.parseString(predicted.out()).getAsJsonArray();
        assertEquals(files.size(), offline.size());

        try (ServerProcess server = serve(List.of(), "--model-repository", repository.toString())) {
            HttpResponse<String> metadata = server.get("/v2/models/chest");
            assertEquals(200, metadata.statusCode(), metadata.body());
            assertTrue(metadata.body().contains("\"shape\":[-1,1,32,32]"), metadata.body());
            for (int i = 0; i < files.size(); i++) {
                HttpResponse<String> response = server.classify("chest", files.get(i));
                assertEquals(200, response.statusCode(), response.body());
                JsonObject served = firstResult(response);
                JsonObject local = offline.get(i).getAsJsonObject();
                assertEquals(local.get("sopInstanceUid").getAsString(), served.get("sopInstanceUid").getAsString());
                assertEquals(local.get("label").getAsString(), served.get("label").getAsString());
                JsonObject probabilities = local.getAsJsonObject("probabilities");
                assertEquals(probabilities.keySet(), served.getAsJsonObject("scores").keySet());
                for (String label : probabilities.keySet()) {
                    assertEquals(probabilities.get(label).getAsDouble(), served.getAsJsonObject("scores").get(label).getAsDouble(),
                            1e-6, label + " of " + files.get(i).getFileName());
                }
            }
            ChildProcess.Result stopped = server.stop();
            assertEquals(0, stopped.code(), stopped.err());
        }
    }

    /**
     * {@code serve} with the DICOM node flags from its config file: echoscu gets 0000, storescu's
     * instances are classified into {@code /v1/results}, each study's SR reaches a dcmtk storescp
     * named by {@code --result-destination dicom://...} ({@code --emit-sr}), and SIGTERM still exits 0.
     */
    @Test
    void servesADicomNodeFromTheConfigFile() throws Exception {
        Path repository = repository("chest");
        int dicomPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            dicomPort = probe.getLocalPort();
        }
        int pacsPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            pacsPort = probe.getLocalPort();
        }
        Path config = Files.writeString(temp.resolve("serve.json"), "{\"dicom-port\": " + dicomPort
                + ", \"ae-title\": \"AI_NODE\", \"study-quiet-seconds\": 0.5, \"allowed-calling-aets\": \"MODALITY\", "
                + "\"spool\": \"" + temp.resolve("spool") + "\", \"emit-sr\": true, \"result-destination\": "
                + "\"dicom://STORESCP@127.0.0.1:" + pacsPort + "\", \"outbox\": \"" + temp.resolve("outbox") + "\"}");
        Path pacs = Files.createDirectories(temp.resolve("pacs"));
        Process storescp = new ProcessBuilder("storescp", "-aet", "STORESCP", "-od", pacs.toString(), Integer.toString(pacsPort))
                .redirectErrorStream(true).redirectOutput(temp.resolve("storescp.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        Path outgoing = Files.createDirectories(temp.resolve("outgoing"));
        java.util.Map<String, Integer> perStudy = new java.util.HashMap<>();
        for (Path file : dicoms.subList(0, 4)) {
            Files.copy(file, outgoing.resolve(perStudy.values().stream().mapToInt(Integer::intValue).sum() + ".dcm"));
            perStudy.merge(DicomReader.defaults().read(file).getString(Tag.StudyInstanceUID), 1, Integer::sum);
        }
        try (ServerProcess server = serve(List.of(), "--model-repository", repository.toString(), "--config", config.toString())) {
            ChildProcess.Result echo = dcmtk("echoscu", "-aet", "MODALITY", "-aec", "AI_NODE", "127.0.0.1",
                    Integer.toString(dicomPort));
            assertEquals(0, echo.code(), echo.err());
            ChildProcess.Result stranger = dcmtk("echoscu", "-aet", "STRANGER", "-aec", "AI_NODE", "127.0.0.1",
                    Integer.toString(dicomPort));
            assertTrue(stranger.code() != 0 && stranger.err().contains("Calling AE Title Not Recognized"), stranger.err());
            ChildProcess.Result store = dcmtk("storescu", "-aet", "MODALITY", "-aec", "AI_NODE", "+sd", "127.0.0.1",
                    Integer.toString(dicomPort), outgoing.toString());
            assertEquals(0, store.code(), store.err());
            for (java.util.Map.Entry<String, Integer> study : perStudy.entrySet()) {
                long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                int found = 0;
                while (found < study.getValue() && System.nanoTime() < giveUp) {
                    Thread.sleep(100);
                    found = JsonParser.parseString(server.get("/v1/results?study=" + study.getKey()).body()).getAsJsonObject()
                            .getAsJsonArray("results").size();
                }
                assertEquals((int) study.getValue(), found, "results of study " + study.getKey());
            }
            assertTrue(server.get("/metrics").body().contains("roentgen_dicom_instances_received_total 4.0\n"));
            java.util.Set<String> reported = new java.util.HashSet<>();
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (reported.size() < perStudy.size() && System.nanoTime() < giveUp) {
                Thread.sleep(100);
                try (Stream<Path> files = Files.list(pacs)) {
                    for (Path f : files.filter(f -> f.getFileName().toString().startsWith("SR")).toList()) {
                        DicomObject sr = DicomReader.defaults().read(f);
                        assertEquals("1.2.840.10008.5.1.4.1.1.88.34", sr.getString(Tag.SOPClassUID));
                        reported.add(sr.getString(Tag.StudyInstanceUID));
                    }
                } catch (java.io.IOException | io.roentgen.dicom.DicomException stillBeingWritten) {
                    // storescp writes the file while we list: read it again next round
                }
            }
            assertEquals(perStudy.keySet(), reported, "one SR per study at the C-STORE destination:\n"
                    + Files.readString(temp.resolve("storescp.log")));
            ChildProcess.Result stopped = server.stop();
            assertEquals(0, stopped.code(), stopped.err());
        } finally {
            storescp.destroy();
            storescp.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Runs a dcmtk tool to its end (60 s at most). */
    private ChildProcess.Result dcmtk(String... command) throws Exception {
        java.io.File out = temp.resolve("dcmtk.out").toFile();
        java.io.File err = temp.resolve("dcmtk.err").toFile();
        Process p = new ProcessBuilder(command).redirectOutput(out).redirectError(err)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail(String.join(" ", command) + " timed out");
        }
        return new ChildProcess.Result(p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
    }

    /**
     * Each request's body trickles in over 4 s, so all of them are inside the server when the
     * signal arrives (a batcher no longer holds a lone request: it runs at once); requests after
     * the signal get 503 while it drains; every one gets an answer, and the exit code is 0.
     */
    @Test
    void sigtermAnswersEveryRequestInFlightAndExitsZero() throws Exception {
        Path repository = repository("chest");
        int inFlight = 16;
        try (ServerProcess server = serve(List.of(), "--model-repository", repository.toString(),
                "--min-request-bytes-per-second", "0")) {
            List<CompletableFuture<HttpResponse<String>>> taken = new ArrayList<>();
            for (int i = 0; i < inFlight; i++) {
                taken.add(server.postSlowly("/v1/models/chest/classify", "application/dicom", Files.readAllBytes(dicoms.get(i)),
                        Duration.ofSeconds(4)));
            }
            awaitInFlight(server, inFlight + 1); // the scrape counts itself
            assertEquals(0, taken.stream().filter(CompletableFuture::isDone).count(), "all still sending their bodies");

            server.process.sigterm();
            int sent = inFlight;
            int answered = 0;
            HttpResponse<String> ready;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            do {
                sent++;
                ready = server.get("/v2/health/ready");
                answered++;
            } while (ready.statusCode() == 200 && System.nanoTime() < deadline);
            assertEquals(503, ready.statusCode(), "draining: " + ready.body());
            for (int i = 0; i < 4; i++) {
                sent++;
                HttpResponse<String> late = server.classify("chest", dicoms.get(i));
                assertEquals(503, late.statusCode(), late.body());
                assertEquals("1", late.headers().firstValue("Retry-After").orElse(""));
                answered++;
            }
            for (CompletableFuture<HttpResponse<String>> request : taken) {
                HttpResponse<String> response = request.get(60, TimeUnit.SECONDS);
                assertEquals(200, response.statusCode(), response.body());
                assertEquals("chest", firstResult(response).get("model").getAsString());
                answered++;
            }
            assertEquals(sent, answered, "every request sent after the server listened was answered");
            ChildProcess.Result exit = server.process.finish(Duration.ofSeconds(60));
            assertEquals(0, exit.code(), exit.err());
            assertTrue(exit.err().contains("InferenceServer - stopped"), exit.err());
        }
    }

    private static void awaitInFlight(ServerProcess server, int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        int seen = -1;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> metrics = server.get("/metrics");
            Matcher m = IN_FLIGHT.matcher(metrics.body());
            assertTrue(m.find(), metrics.body());
            seen = Integer.parseInt(m.group(1));
            if (seen == expected) {
                return;
            }
            Thread.sleep(20);
        }
        fail("requests in flight: " + seen + ", expected " + expected + " well within the 4 s their bodies take");
    }

    @Test
    void noPatientIdentifierInAnythingTheServerWrites() throws Exception {
        Phi phi = new Phi();
        Path repository = repository("chest");
        Path resultsFile = temp.resolve("results.jsonl");
        List<String> answers = new ArrayList<>();
        try (ServerProcess server = serve(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug"),
                "--model-repository", repository.toString(), "--results-file", resultsFile.toString())) {
            answers.add(expect(200, server.post("/v1/models/chest/classify", "application/dicom", phi.instance(1))));
            answers.add(expect(422, server.post("/v1/models/chest/classify", "application/dicom", phi.withoutPixels(2))));
            answers.add(expect(200, server.post("/v1/models/chest/classify", multipartType(),
                    multipart(phi.instance(3), phi.unsupportedTransferSyntax(4)))));
            answers.add(expect(202, server.post("/dicomweb/studies", multipartType(), multipart(phi.instance(5),
                    phi.instance(6), phi.withoutPixels(7), phi.unsupportedTransferSyntax(8)))));
            answers.add(expect(200, server.post("/dicomweb/studies/" + Phi.STUDY, multipartType(), multipart(phi.instance(9)))));
            answers.add(expect(409, server.post("/dicomweb/studies/1.2.3.4", multipartType(), multipart(phi.instance(10)))));
            String results = expect(200, server.get("/v1/results?study=" + Phi.STUDY));
            assertEquals(3, JsonParser.parseString(results).getAsJsonObject().getAsJsonArray("results").size(), results);
            answers.add(results);
            answers.add(expect(200, server.get("/metrics")));
            ChildProcess.Result exit = server.stop();
            assertEquals(0, exit.code(), exit.err());
            assertTrue(exit.err().contains("[DEBUG]") && exit.err().contains("STOW-RS instance refused"), "debug logs on:\n" + exit.err());
            for (String route : List.of("POST /v1/models/{model}/classify 422", "POST /dicomweb/studies 202",
                    "POST /dicomweb/studies/{study} 409", "GET /v1/results 200")) {
                assertTrue(exit.err().contains(route), route + " in the access log:\n" + exit.err());
            }
        }
        assertEquals(3, Files.readAllLines(resultsFile).size(), "one results line per instance pushed and classified");
        List<Path> written;
        try (Stream<Path> walk = Files.walk(temp)) {
            written = walk.filter(Files::isRegularFile).filter(p -> !p.startsWith(temp.resolve("repository"))).toList();
        }
        for (Path file : written) {
            phi.assertAbsent(Files.readString(file, StandardCharsets.ISO_8859_1), file.toString());
        }
        for (String answer : answers) {
            phi.assertAbsent(answer, "an HTTP answer");
        }
    }

    @Test
    void stowModelClassifiesEveryPushedInstanceAndAnUnknownOneIsAUsageError() throws Exception {
        Path repository = repository("alpha", "beta");
        byte[] push = multipart(Files.readAllBytes(dicoms.get(0)), Files.readAllBytes(dicoms.get(1)));
        String study = studyOf(dicoms.get(0));
        assertEquals(study, studyOf(dicoms.get(1)), "one study pushed");
        Path resultsFile = temp.resolve("beta.jsonl");
        try (ServerProcess server = serve(List.of(), "--model-repository", repository.toString(), "--stow-model", "beta",
                "--results-file", resultsFile.toString())) {
            expect(200, server.post("/dicomweb/studies", multipartType(), push));
            assertEquals(List.of("beta", "beta"), resultModels(server, study));
            assertEquals("alpha", firstResult(server.classify("alpha", dicoms.get(0))).get("model").getAsString());
            assertEquals(0, server.stop().code());
        }
        for (String line : Files.readAllLines(resultsFile)) {
            assertEquals("beta", JsonParser.parseString(line).getAsJsonObject().get("model").getAsString(), line);
        }
        assertEquals(2, Files.readAllLines(resultsFile).size());

        try (ServerProcess server = serve(List.of(), "--model-repository", repository.toString())) {
            expect(200, server.post("/dicomweb/studies", multipartType(), push));
            assertEquals(List.of("alpha", "alpha"), resultModels(server, study), "the first model by name");
            assertEquals(0, server.stop().code());
        }

        ChildProcess.Result unknown = ChildProcess.runJar(temp.resolve("logs"), COMMAND_TIMEOUT, "serve", "--model-repository",
                repository.toString(), "--port", "0", "--devices", "cpu", "--no-warmup", "--stow-model", "gamma");
        assertEquals(2, unknown.code(), unknown.err());
        assertTrue(unknown.err().contains("the STOW-RS model 'gamma' is not in the repository") && unknown.err().contains(
                "(models: alpha, beta)"), unknown.err());
        assertFalse(unknown.out().contains("Roentgen serving"), unknown.out());
    }

    private static List<String> resultModels(ServerProcess server, String study) throws Exception {
        JsonArray results = JsonParser.parseString(expect(200, server.get("/v1/results?study=" + study)))
                .getAsJsonObject().getAsJsonArray("results");
        List<String> models = new ArrayList<>();
        results.forEach(r -> models.add(r.getAsJsonObject().get("model").getAsString()));
        return models;
    }

    private static String studyOf(Path dicom) throws Exception {
        return DicomReader.defaults().read(dicom).getString(Tag.StudyInstanceUID);
    }

    private static String expect(int status, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        return response.body();
    }

    private static JsonObject firstResult(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject().getAsJsonArray("results").get(0).getAsJsonObject();
    }

    private static final String BOUNDARY = "serve-it-boundary";

    private static String multipartType() {
        return "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY;
    }

    private static byte[] multipart(byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            body.writeBytes(("--" + BOUNDARY + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(part);
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    /** Instances of one study carrying distinctive patient identifiers that no server output may contain. */
    private static final class Phi {
        static final String STUDY = "1.2.826.0.1.3680043.10.1137.1601";
        static final String FAMILY_NAME = "Zwiebelfisch";
        static final String GIVEN_NAME = "Quirinus";
        static final String PATIENT_ID = "QX-4711-0815";
        static final String BIRTH_DATE = "19230417";
        static final String ACCESSION = "ACC-99123-PHI";
        private static final List<String> IDENTIFIERS = List.of(FAMILY_NAME, GIVEN_NAME, PATIENT_ID, BIRTH_DATE,
                "1923-04-17", ACCESSION);

        byte[] instance(int index) {
            byte[] bytes = DicomWriter.explicitLittleEndian().toByteArray(dataSet(index));
            String raw = new String(bytes, StandardCharsets.ISO_8859_1);
            for (String id : List.of(FAMILY_NAME, GIVEN_NAME, PATIENT_ID, BIRTH_DATE, ACCESSION)) {
                assertTrue(raw.contains(id), "the request carries " + id); // so that its absence below means something
            }
            return bytes;
        }

        byte[] withoutPixels(int index) {
            DicomObject ds = dataSet(index);
            ds.remove(Tag.PixelData);
            return DicomWriter.explicitLittleEndian().toByteArray(ds);
        }

        byte[] unsupportedTransferSyntax(int index) {
            DicomObject ds = dataSet(index);
            ds.remove(Tag.PixelData);
            ds.putEncapsulatedPixelData(EncapsulatedPixelData.ofFrames(List.of(new byte[] {1, 2, 3, 4})));
            return DicomWriter.of(TransferSyntax.MPEG2_MPML).toByteArray(ds);
        }

        private static DicomObject dataSet(int index) {
            return SyntheticBlobDicom.dataSet(index, index % 2 == 0, 5)
                    .putString(Tag.StudyInstanceUID, STUDY)
                    .putString(Tag.SeriesInstanceUID, STUDY + ".1")
                    .putString(Tag.SOPInstanceUID, STUDY + ".1." + index)
                    .putString(Tag.PatientName, FAMILY_NAME + "^" + GIVEN_NAME)
                    .putString(Tag.PatientID, PATIENT_ID)
                    .putString(Tag.PatientBirthDate, BIRTH_DATE)
                    .putString(Tag.AccessionNumber, ACCESSION);
        }

        void assertAbsent(String text, String where) {
            String lower = text.toLowerCase(Locale.ROOT);
            for (String id : IDENTIFIERS) {
                assertFalse(lower.contains(id.toLowerCase(Locale.ROOT)), id + " appears in " + where + ":\n" + text);
            }
        }
    }
}
