package io.roentgen.dicom.pixel;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of every compressed fixture (RLE, JPEG baseline/extended/lossless, JPEG-LS,
 * JPEG 2000), decoded through the reader path a server takes: each case must decode or end in a
 * {@link DicomException}, and must end at all. Each case runs on a worker with a per-case bound
 * far above its cost (milliseconds), so a decoder that never returns fails the test with the
 * seed, file and mutation that reproduce it instead of hanging the build. JPEG 2000, the one
 * decoder that is not ours, gets the most cases, and runs of 0xFF (the input that made JJ2000
 * loop forever) are one of the mutations.
 */
class CompressedDecodeFuzzTest {
    private static final long SEED = 0x18D0_DEC0DEL;
    private static final int JPEG2000_CASES_PER_FILE = 160;
    private static final int OTHER_CASES_PER_FILE = 14;
    private static final long CASE_BOUND_SECONDS = 20;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz-decode");
        t.setDaemon(true); // a hung decode must not keep the test JVM alive
        return t;
    });

    @AfterEach
    void stopWorker() {
        worker.shutdownNow();
    }

    @Test
    void mutatedCompressedFilesDecodeOrFailCleanlyAndEnd() throws Exception {
        int cases = 0;
        int decoded = 0;
        for (String folder : List.of("jpeg2000", "rle", "jpeg", "jpegls")) {
            int perFile = folder.equals("jpeg2000") ? JPEG2000_CASES_PER_FILE : OTHER_CASES_PER_FILE;
            for (Path file : dcmFiles(folder)) {
                byte[] original = Files.readAllBytes(file);
                int pixelStart = pixelDataStart(original, file);
                for (int i = 0; i < perFile; i++) {
                    long seed = SEED ^ ((long) file.getFileName().toString().hashCode() << 20) ^ i;
                    byte[] mutated = mutate(original, pixelStart, new SplittableRandom(seed));
                    String what = folder + "/" + file.getFileName() + " case " + i + " (seed " + Long.toHexString(seed) + ")";
                    if (decodes(mutated, what)) {
                        decoded++;
                    }
                    cases++;
                }
            }
        }
        assertTrue(cases >= 4000, "cases run: " + cases);
        System.out.printf("compressed decode fuzz: %d cases, %d decoded, %d refused%n", cases, decoded, cases - decoded);
    }

    /** True when frame 0 decoded, false on a DicomException; fails on anything else or no end. */
    private boolean decodes(byte[] data, String what) throws InterruptedException {
        Future<Boolean> result = worker.submit(() -> {
            DicomObject dicom = DicomReader.defaults().read(data);
            DicomPixels.frame(dicom, 0);
            return true;
        });
        try {
            return result.get(CASE_BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            fail(what + ": decoding did not end within " + CASE_BOUND_SECONDS + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DicomException) {
                return false;
            }
            fail(what + ": " + e.getCause(), e.getCause());
        }
        return false;
    }

    /** One mutation of the bytes after the Pixel Data element's header (the encapsulated frames). */
    static byte[] mutate(byte[] original, int from, SplittableRandom random) {
        byte[] b = original.clone();
        int span = b.length - from;
        switch (random.nextInt(4)) {
            case 0 -> { // a run of 0xFF
                int len = 2 + random.nextInt(15);
                int at = from + random.nextInt(span);
                Arrays.fill(b, at, Math.min(b.length, at + len), (byte) 0xFF);
            }
            case 1 -> { // flipped bits
                for (int n = 1 + random.nextInt(8); n > 0; n--) {
                    b[from + random.nextInt(span)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 2 -> { // random bytes over a short span
                int at = from + random.nextInt(span);
                for (int k = at; k < Math.min(b.length, at + 1 + random.nextInt(32)); k++) {
                    b[k] = (byte) random.nextInt(256);
                }
            }
            default -> { // single bytes set to the extremes
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    b[from + random.nextInt(span)] = random.nextBoolean() ? (byte) 0xFF : 0;
                }
            }
        }
        return b;
    }

    private static int pixelDataStart(byte[] file, Path path) {
        byte[] header = {(byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'B', 0, 0};
        for (int i = file.length - header.length; i >= 0; i--) {
            if (Arrays.equals(file, i, i + header.length, header, 0, header.length)) {
                return i + 12;
            }
        }
        throw new IllegalStateException("no encapsulated Pixel Data in " + path);
    }

    private static List<Path> dcmFiles(String folder) throws Exception {
        Path dir = Path.of(CompressedDecodeFuzzTest.class.getResource("/fixtures/" + folder).toURI());
        try (Stream<Path> list = Files.list(dir)) {
            List<Path> files = new ArrayList<>(list.filter(f -> f.toString().endsWith(".dcm")).sorted().toList());
            assertTrue(!files.isEmpty(), "no fixtures in " + folder);
            return files;
        }
    }
}
