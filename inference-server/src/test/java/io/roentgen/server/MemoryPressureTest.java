package io.roentgen.server;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.TransferSyntax;
import io.roentgen.dicom.VR;
import io.roentgen.server.testing.ServerMain;
import io.roentgen.server.testing.SyntheticDicom;
import io.roentgen.server.testing.TestRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server with a 1 GiB heap (its default request memory budget is half of it) takes eight
 * requests at once that together need several times its heap: four valid 100 MB instances and
 * four deflated data sets of 10 MB that inflate to 600 MB, within the reader's ratio and size
 * limits. Each is answered 200, 413 or 503, never 500, the process never runs out of memory, and
 * it stays ready and classifies afterwards.
 */
class MemoryPressureTest {
    private static final String STUDY = "1.2.826.0.1.3680043.10.1137.22";

    @TempDir
    Path repo;

    @Test
    void largeBodiesAndInflatingDataSetsAtOnceNeverExhaustASmallHeap() throws Exception {
        TestRepository.addVersion(repo, "chest", "1", 11);
        Path log = repo.resolve("server.log");
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(), repo.toString())
                .redirectError(log.toFile()).start();
        try {
            int port = port(server);
            byte[] large = largeInstance();
            byte[] inflating = inflatingDataSet();
            List<CompletableFuture<String>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> classify(port, large)));
                answers.add(CompletableFuture.supplyAsync(() -> classify(port, inflating)));
            }
            for (CompletableFuture<String> answer : answers) {
                String status = answer.get(180, TimeUnit.SECONDS);
                assertTrue(status.matches("HTTP/1.1 (200|413|503) .*"), status);
            }
            assertTrue(classify(port, SyntheticDicom.instance(STUDY, 1)).startsWith("HTTP/1.1 200"), "still classifies");
            assertTrue(server.isAlive(), "the server lives");
            String errors = Files.readString(log);
            assertFalse(errors.contains("OutOfMemoryError"), errors);
        } finally {
            server.destroy();
            server.waitFor(60, TimeUnit.SECONDS);
            server.destroyForcibly();
        }
    }

    private static int port(Process server) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                for (String l = out.readLine(); l != null; l = out.readLine()) {
                    if (l.startsWith("PORT ")) {
                        return l;
                    }
                }
                return "";
            } catch (IOException e) {
                return "";
            }
        });
        try {
            String port = line.get(120, TimeUnit.SECONDS);
            assertTrue(port.startsWith("PORT "), "the server started");
            return Integer.parseInt(port.substring(5).trim());
        } catch (Exception e) {
            throw new AssertionError("the server did not start within 2 minutes", e);
        }
    }

    /** One request on its own connection, the body written while the answer is read: an early 503 is seen. */
    private static String classify(int port, byte[] body) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(170_000);
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST /v1/models/chest/classify HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                            + "Content-Type: application/dicom\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body);
                    out.flush();
                } catch (IOException answeredEarly) {
                    // the server refused before reading the whole body and closed
                }
            });
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                line.write(b);
            }
            sending.cancel(true);
            return line.toString(StandardCharsets.ISO_8859_1).trim();
        } catch (IOException e) {
            return "no answer: " + e;
        }
    }

    /** A valid 16-bit 7000 x 7000 instance: 98 MB of pixels. */
    private static byte[] largeInstance() {
        byte[] small = SyntheticDicom.instance(STUDY, 2);
        try {
            DicomObject ds = io.roentgen.dicom.DicomReader.defaults().read(small);
            ds.putInts(Tag.Rows, 7000);
            ds.putInts(Tag.Columns, 7000);
            byte[] pixels = new byte[2 * 7000 * 7000];
            new SplittableRandom(3).nextBytes(pixels);
            for (int i = 1; i < pixels.length; i += 2) {
                pixels[i] &= 0x0F; // 12 bits stored
            }
            ds.putPixelData(VR.OW, pixels);
            return DicomWriter.explicitLittleEndian().toByteArray(ds);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A deflated data set whose 600 MB of pixels are a random byte every 200th, the rest zero:
     * about 40:1, within the reader's 64:1 ratio and 1 GiB cap, so only the budget stops it.
     */
    private static byte[] inflatingDataSet() throws IOException {
        int side = 17_320; // 16-bit: 600 MB
        DicomObject ds = new DicomObject();
        ds.putString(Tag.SOPClassUID, SyntheticDicom.SECONDARY_CAPTURE);
        ds.putString(Tag.SOPInstanceUID, STUDY + ".9");
        ds.putString(Tag.StudyInstanceUID, STUDY);
        ds.putInts(Tag.Rows, side);
        ds.putInts(Tag.Columns, side);
        ds.putInts(Tag.SamplesPerPixel, 1);
        ds.putString(Tag.PhotometricInterpretation, "MONOCHROME2");
        ds.putInts(Tag.BitsAllocated, 16);
        ds.putInts(Tag.BitsStored, 16);
        ds.putInts(Tag.HighBit, 15);
        ds.putInts(Tag.PixelRepresentation, 0);
        byte[] headerOnly = DicomWriter.of(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN).toByteArray(ds);
        ByteArrayOutputStream file = new ByteArrayOutputStream(16 << 20);
        file.write(headerOnly, 0, metaEnd(headerOnly));
        try (DeflaterOutputStream deflated = new DeflaterOutputStream(file, new Deflater(Deflater.BEST_SPEED, true), 1 << 16)) {
            DicomWriter.explicitLittleEndian().writeDataSet(ds, deflated);
            long length = 2L * side * side;
            deflated.write(new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'W', 0, 0,
                (byte) length, (byte) (length >> 8), (byte) (length >> 16), (byte) (length >> 24)});
            SplittableRandom random = new SplittableRandom(4);
            byte[] chunk = new byte[1 << 20];
            for (long written = 0; written < length; written += chunk.length) {
                java.util.Arrays.fill(chunk, (byte) 0);
                for (int i = 0; i < chunk.length; i += 200) {
                    chunk[i] = (byte) random.nextInt(256);
                }
                deflated.write(chunk, 0, (int) Math.min(chunk.length, length - written));
            }
        }
        return file.toByteArray();
    }

    /** Where the File Meta Information ends: preamble, "DICM", then the group length element. */
    private static int metaEnd(byte[] part10) {
        int groupLength = (part10[140] & 0xFF) | (part10[141] & 0xFF) << 8 | (part10[142] & 0xFF) << 16 | (part10[143] & 0xFF) << 24;
        return 144 + groupLength;
    }
}
