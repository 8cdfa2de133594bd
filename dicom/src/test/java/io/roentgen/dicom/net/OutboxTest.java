package io.roentgen.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.sr.MeasurementReport;

/**
 * Results reach a PACS that is down when they are made: the outbox keeps the SR on disk and sends it
 * once dcmtk's storescp (the PACS here) listens, across a restart of the outbox too.
 */
class OutboxTest {
    @TempDir
    Path tmp;

    @Test
    void aResultWaitsForThePacsAndArrivesOnce() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        ResultSender pacs = ResultSender.parse("dicom://STORESCP@127.0.0.1:" + port, "ROENTGEN", 2_000);
        DicomObject sr = io.roentgen.dicom.sr.MeasurementReportFixture.report();
        try (Outbox outbox = new Outbox(tmp.resolve("outbox"), List.of(pacs), 200)) {
            outbox.submit(sr);
            Thread.sleep(600); // three tries against a closed port
            assertEquals(1, outbox.pending());
        }
        Path received = Files.createDirectories(tmp.resolve("pacs"));
        Process storescp = new ProcessBuilder("storescp", "-aet", "STORESCP", "-od", received.toString(), Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("storescp.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try (Outbox restarted = new Outbox(tmp.resolve("outbox"), List.of(pacs), 200)) {
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (restarted.pending() > 0 && System.nanoTime() < giveUp) {
                Thread.sleep(50);
            }
            assertEquals(0, restarted.pending(), Files.readString(tmp.resolve("storescp.log")));
        } finally {
            storescp.destroy();
            storescp.waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.list(received)) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), all.toString());
            DicomObject got = DicomReader.defaults().read(all.get(0));
            assertEquals(sr.getString(Tag.SOPInstanceUID), got.getString(Tag.SOPInstanceUID));
            assertEquals(MeasurementReport.COMPREHENSIVE_3D_SR, got.getString(Tag.SOPClassUID));
        }
    }

    @Test
    void destinationsAreDicomUris() {
        assertEquals(new Destination("PACS", "pacs.example", 104), Destination.parse("dicom://PACS@pacs.example:104"));
        assertThrows(IllegalArgumentException.class, () -> Destination.parse("https://pacs.example/dicomweb"));
        assertThrows(IllegalArgumentException.class, () -> Destination.parse("dicom://pacs.example:104"));
        assertTrue(Destination.parse("dicom://A@h:1").toString().startsWith("dicom://A@h:1"));
    }
}
