package io.roentgen.server.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.sr.ReportOptions;
import io.roentgen.dicom.testing.OrthancProcess;
import io.roentgen.models.explain.ExplanationDicom;
import io.roentgen.models.explain.ProbabilitySegmentation;
import io.roentgen.server.ServerConfig;
import io.roentgen.server.export.Backoff;
import io.roentgen.server.export.Outbox;
import io.roentgen.server.export.ResultDestination;
import io.roentgen.server.export.ResultExporter;
import io.roentgen.server.export.StowRsClient;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.testing.Await;
import io.roentgen.server.testing.Multipart;
import io.roentgen.server.testing.ServerFixture;
import io.roentgen.server.testing.SmallBundles;
import io.roentgen.server.testing.SyntheticDicom;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --emit-explanation seg}: a classify request's SR reaches Orthanc over STOW-RS through the
 * outbox, and with it one fractional Segmentation per classified instance, in the same study,
 * each referencing its source instance.
 */
class EmitExplanationToOrthancTest {
    private static final String STUDY = "1.2.826.0.1.3680043.10.1137.121";
    private static final int INSTANCES = 2;

    @TempDir
    Path work;

    @Test
    void theSegmentationsTravelWithTheSrToTheSameDestination() throws Exception {
        Path repo = Files.createDirectories(work.resolve("models"));
        SmallBundles.write(repo.resolve("chest").resolve("1"), 32, 41);
        ServerConfig config = ServerFixture.config(repo).withAuthToken(ServerFixture.TOKEN);
        Backoff fast = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), 1000);
        try (OrthancProcess orthanc = OrthancProcess.start(work, "http://127.0.0.1:1/unused", "unused")) {
            List<StowRsClient> senders = List.of(new StowRsClient(Duration.ofSeconds(30), null));
            Outbox outbox = new Outbox(work.resolve("outbox"), List.copyOf(senders), fast);
            try (ResultExporter exporter = new ResultExporter(ReportOptions.defaults(),
                        List.of(ResultDestination.parse(orthanc.dicomWebRoot())), List.copyOf(senders), outbox);
                    ServerFixture roentgen = ServerFixture.start(config, ModelFormats.standard(), exporter, ExplanationDicom.SEG)) {
                List<byte[]> parts = new ArrayList<>();
                Set<String> sources = new HashSet<>();
                for (int i = 0; i < INSTANCES; i++) {
                    parts.add(SyntheticDicom.instance(STUDY, i));
                    sources.add(SyntheticDicom.sopInstanceUid(STUDY, i));
                }
                HttpResponse<String> answer = roentgen.post("/v1/models/chest/classify", Multipart.contentType("b0und"),
                        Multipart.body("b0und", parts));
                assertEquals(200, answer.statusCode(), answer.body());
                Await.until(() -> delivered(exporter) == 1 + INSTANCES, Duration.ofSeconds(60),
                        "the SR and " + INSTANCES + " SEGs delivered to Orthanc");
                JsonArray instances = JsonParser.parseString(orthanc.get("/instances")).getAsJsonArray();
                assertEquals(1 + INSTANCES, instances.size());
                Set<String> referenced = new HashSet<>();
                int segs = 0;
                for (var id : instances) {
                    DicomObject stored = DicomReader.defaults().read(orthanc.getBytes("/instances/" + id.getAsString() + "/file"));
                    assertEquals(STUDY, stored.getString(Tag.StudyInstanceUID));
                    if (ProbabilitySegmentation.SOP_CLASS.equals(stored.getString(Tag.SOPClassUID))) {
                        segs++;
                        referenced.add(stored.getSequence(0x00081115).get(0).getSequence(0x0008114A).get(0)
                                .getString(Tag.ReferencedSOPInstanceUID));
                    }
                }
                assertEquals(INSTANCES, segs);
                assertEquals(sources, referenced);
                assertEquals(INSTANCES, roentgen.server.explanationEmitter().emitted());
            }
        }
    }

    private static int delivered(ResultExporter exporter) {
        try {
            return exporter.outbox().done().size();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
