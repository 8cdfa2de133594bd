package io.roentgen.server;

import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.net.ScpConfig;
import io.roentgen.dicom.testing.OrthancProcess;
import io.roentgen.server.dimse.DicomNode;
import io.roentgen.server.export.ResultExporter;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.testing.Await;
import io.roentgen.server.testing.Dcmtk;
import io.roentgen.server.testing.ServerFixture;
import io.roentgen.server.testing.SyntheticDicom;
import io.roentgen.server.testing.TestRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A study's SR reaches the PACS exactly once even when it cannot be queued at first: with the
 * outbox unwritable the study is not marked done, the failure is counted, and the node retries it;
 * once the outbox is writable again one SR arrives at dcmtk's storescp, and no second one follows.
 */
class DimseSrExactlyOnceTest {
    private static final String AE = "ROENTGEN";
    private static final String STUDY = "1.2.826.0.1.3680043.10.1137.19.501";

    @TempDir
    Path work;

    @Test
    void anSrThatCouldNotBeQueuedIsRetriedAndArrivesOnce() throws Exception {
        Path repo = Files.createDirectories(work.resolve("models"));
        TestRepository.addVersion(repo, "chest", "1", 41);
        Path received = Files.createDirectories(work.resolve("pacs"));
        int pacsPort = OrthancProcess.freePort();
        Process pacs = Dcmtk.storescp(pacsPort, received, work.resolve("storescp.log"));
        try (ResultExporter exporter = Dcmtk.cStoreExporter(work, AE, "dicom://PACS@127.0.0.1:" + pacsPort);
                ServerFixture roentgen = ServerFixture.start(ServerFixture.config(repo), ModelFormats.standard(), exporter);
                DicomNode node = DicomNode.start(ScpConfig.of(AE, 0, work.resolve("spool")).withMinFreeBytes(0), 200,
                        roentgen.server)) {
            // The outbox's pending/ becomes a plain file: every write into it fails.
            Path pending = work.resolve("outbox").resolve("pending");
            Path aside = work.resolve("outbox").resolve("pending-aside");
            Files.move(pending, aside);
            Files.writeString(pending, "not a folder");

            Path study = Files.createDirectories(work.resolve("study"));
            for (int i = 0; i < 3; i++) {
                Files.write(study.resolve(i + ".dcm"), SyntheticDicom.instance(STUDY, i));
            }
            Dcmtk.storescu(AE, node.scp().port(), study);
            Await.until(() -> exporter.queueFailures() >= 1, Duration.ofSeconds(30), "the SR failed to queue");
            assertEquals(0, doneMarkers(), "a study whose SR is not queued is not done");
            Await.until(() -> node.assembler().pendingStudies() == 1, "the study waits for its retry");

            Files.delete(pending);
            Files.move(aside, pending);
            Await.until(() -> files(received) == 1, Duration.ofSeconds(30), "the SR reached the PACS");
            Await.until(() -> doneMarkers() == 3, Duration.ofSeconds(10), "the study is marked done");
            Thread.sleep(2_500); // past the next retry: a second SR would have come
            assertEquals(1, files(received), "exactly one SR");
            assertEquals(1, exporter.outbox().done().size());
            assertEquals(0, node.assembler().pendingStudies());
            try (Stream<Path> s = Files.list(received)) {
                Path sr = s.findFirst().orElseThrow();
                assertEquals(STUDY, DicomReader.defaults().read(sr).getString(Tag.StudyInstanceUID));
            }
            String metrics = roentgen.get("/metrics").body();
            assertTrue(metrics.contains("roentgen_sr_queue_failures_total ") && !metrics.contains("roentgen_sr_queue_failures_total 0.0"),
                    metrics);
            assertTrue(metrics.contains("roentgen_dicom_study_failures_total "), metrics);
        } finally {
            pacs.destroy();
            pacs.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private long doneMarkers() {
        try (Stream<Path> walk = Files.walk(work.resolve("spool"))) {
            return walk.filter(p -> p.toString().endsWith(".dcm.done")).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
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
