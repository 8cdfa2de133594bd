package io.roentgen.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.net.ScpConfig;
import io.roentgen.dicom.testing.OrthancProcess;
import io.roentgen.models.explain.ExplanationDicom;
import io.roentgen.models.explain.ProbabilitySegmentation;
import io.roentgen.server.dimse.DicomNode;
import io.roentgen.server.export.ResultExporter;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.testing.Await;
import io.roentgen.server.testing.Dcmtk;
import io.roentgen.server.testing.ServerFixture;
import io.roentgen.server.testing.SyntheticDicom;
import io.roentgen.server.testing.SmallBundles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code --emit-explanation} on the DICOM node's path: storescu sends a study to the node, and the
 * PACS (dcmtk's storescp, over our C-STORE SCU) receives the study's SR and one Segmentation per
 * instance, each in the source study and referencing its source instance.
 */
class DimseExplanationTest {
    private static final String AE = "ROENTGEN";
    private static final String STUDY = "1.2.826.0.1.3680043.10.1137.19.777";
    private static final int INSTANCES = 2;

    @TempDir
    Path work;

    @Test
    void aStudySentOverDimseComesBackAsAnSrAndOneSegmentationPerInstance() throws Exception {
        Path repo = Files.createDirectories(work.resolve("models"));
        SmallBundles.write(repo.resolve("chest").resolve("1"), 32, 41); // a real bundle: the explainer needs its model.json
        Path received = Files.createDirectories(work.resolve("pacs"));
        int pacsPort = OrthancProcess.freePort();
        Process pacs = Dcmtk.storescp(pacsPort, received, work.resolve("storescp.log"));
        try (ResultExporter exporter = Dcmtk.cStoreExporter(work, AE, "dicom://PACS@127.0.0.1:" + pacsPort);
                ServerFixture roentgen = ServerFixture.start(ServerFixture.config(repo), ModelFormats.standard(), exporter,
                        ExplanationDicom.SEG);
                DicomNode node = DicomNode.start(ScpConfig.of(AE, 0, work.resolve("spool")).withMinFreeBytes(0), 200,
                        roentgen.server)) {
            Path study = Files.createDirectories(work.resolve("study"));
            Set<String> sources = new HashSet<>();
            for (int i = 0; i < INSTANCES; i++) {
                Files.write(study.resolve(i + ".dcm"), SyntheticDicom.instance(STUDY, i));
                sources.add(SyntheticDicom.sopInstanceUid(STUDY, i));
            }
            Dcmtk.storescu(AE, node.scp().port(), study);
            Await.until(() -> files(received) == 1 + INSTANCES, Duration.ofSeconds(60),
                    "the SR and " + INSTANCES + " SEGs reached the PACS");

            Set<String> referenced = new HashSet<>();
            int srs = 0;
            try (Stream<Path> s = Files.list(received)) {
                for (Path file : s.toList()) {
                    DicomObject stored = DicomReader.defaults().read(file);
                    assertEquals(STUDY, stored.getString(Tag.StudyInstanceUID));
                    if (ProbabilitySegmentation.SOP_CLASS.equals(stored.getString(Tag.SOPClassUID))) {
                        // Referenced Series Sequence > Referenced Instance Sequence > Referenced SOP Instance UID
                        referenced.add(stored.getSequence(0x00081115).get(0).getSequence(0x0008114A).get(0)
                                .getString(Tag.ReferencedSOPInstanceUID));
                    } else {
                        srs++;
                    }
                }
            }
            assertEquals(1, srs, "one SR for the study");
            assertEquals(sources, referenced, "one SEG per source instance");
            assertEquals(INSTANCES, roentgen.server.explanationEmitter().emitted());
        } finally {
            pacs.destroy();
            pacs.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static long files(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
