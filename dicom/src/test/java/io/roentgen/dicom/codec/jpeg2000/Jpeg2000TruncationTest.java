package io.roentgen.dicom.codec.jpeg2000;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.roentgen.dicom.DicomException;

import java.io.EOFException;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * Truncated codestreams. A tile-part running past the end is refused up front; one whose SOT says
 * "to the end" (Psot 0) reaches JJ2000, which with jai-imageio's own stream looped forever on such
 * input (end of data read as 0xFF bytes in the packet header's Lblock loop). JJ2000 prints a stack
 * trace to stderr for most of these (FileBitstreamReaderAgent.setTile) before its Error, which the
 * decoder turns into a DicomException: expected noise in this test's output.
 */
class Jpeg2000TruncationTest {

    private final Jpeg2000Decoder decoder = new Jpeg2000Decoder();

    @Test
    void tilePartPastTheEndIsRefused() {
        J2kFixtures f = Jpeg2000DecoderTest.fixture("u12_65x34.gdcm");
        byte[] frame = f.frames().get(0);
        DicomException e = assertThrows(DicomException.class,
                () -> decoder.decode(Arrays.copyOf(frame, frame.length * 2 / 3), f.image()));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void openEndedTilePartCutShortNeverHangs() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (String file : new String[] {"u12_65x34.gdcm", "u12_65x34.gdcm-lossy97", "u16_97x61.gdcm-lossy97",
                "rgb8_65x34.opj-rct"}) {
                J2kFixtures f = Jpeg2000DecoderTest.fixture(file);
                byte[] frame = f.frames().get(0);
                int sot = indexOfSot(frame);
                for (int cut = sot + 14; cut < frame.length; cut += Math.max(1, (frame.length - sot) / 12)) {
                    byte[] truncated = Arrays.copyOf(frame, cut);
                    Arrays.fill(truncated, sot + 6, sot + 10, (byte) 0); // Psot = 0: up to the end
                    try {
                        assertEquals(f.image().nativeFrameBytes(), decoder.decode(truncated, f.image()).nativeBytes().length);
                    } catch (DicomException refused) {
                        // fine
                    } catch (Throwable t) {
                        fail(file + " cut at " + cut + ": " + t, t);
                    }
                }
            }
        });
    }

    @Test
    void singleByteReadsThrowAtTheEnd() throws Exception {
        try (StrictByteArrayImageInputStream in = new StrictByteArrayImageInputStream(new byte[] {1, 2, 3, 4}, 1, 2)) {
            assertEquals(2, in.length());
            assertEquals(2, in.read());
            assertEquals(3, in.read());
            assertThrows(EOFException.class, in::read);
            assertEquals(-1, in.read(new byte[4], 0, 4));
            assertThrows(EOFException.class, () -> in.seek(3));
            in.seek(0);
            byte[] two = new byte[2];
            in.readFully(two);
            assertEquals(2, two[0]);
            assertEquals(3, two[1]);
        }
    }

    private static int indexOfSot(byte[] b) {
        for (int i = 0; i + 1 < b.length; i++) {
            if (b[i] == (byte) 0xFF && b[i + 1] == (byte) 0x90) {
                return i;
            }
        }
        throw new IllegalArgumentException("no SOT");
    }
}
