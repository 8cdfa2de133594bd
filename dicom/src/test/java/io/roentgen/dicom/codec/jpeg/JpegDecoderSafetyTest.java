package io.roentgen.dicom.codec.jpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.codec.PixelDecoder;
import io.roentgen.dicom.codec.PixelDecoder.DecodedFrame;
import io.roentgen.dicom.codec.jpeg.JpegFixtures.Fixture;
import io.roentgen.dicom.ImageDescriptor;
import io.roentgen.dicom.testing.MinimumCount;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Hostile and broken input: every outcome must be a decoded frame of the right size or a
 * {@link DicomException} (never an unchecked exception, also not one wrapped by the decoder's last-
 * resort guard), and never a hang.
 */
class JpegDecoderSafetyTest {
    private static final int TRUNCATIONS = 40;
    private static final int BIT_FLIPS = 120;
    private static final int SMEARS = 30;

    @TestFactory
    Stream<DynamicTest> corruptedFixturesFailCleanly() {
        return MinimumCount.atLeast(JpegFixtures.COUNT, JpegFixtures.all(), "JPEG fixtures").stream()
                .map(f -> DynamicTest.dynamicTest(f.name(), () -> fuzz(f)));
    }

    private static void fuzz(Fixture f) {
        byte[] stream = f.streams().get(0);
        PixelDecoder decoder = JpegFixtures.DECODERS.get(f.ts());
        Random rnd = new Random(f.name().hashCode() * 31L + 7);
        // A hang guard only: the whole loop takes well under a second.
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < TRUNCATIONS; i++) {
                int len = i < 8 ? i : rnd.nextInt(stream.length);
                attempt(decoder, Arrays.copyOf(stream, len), f, "truncated to " + len);
            }
            for (int i = 0; i < BIT_FLIPS; i++) {
                byte[] s = stream.clone();
                int flips = 1 + rnd.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    // Half the flips hit the headers, where the sizes and table ids live.
                    int at = rnd.nextBoolean() ? rnd.nextInt(Math.min(s.length, 700)) : rnd.nextInt(s.length);
                    s[at] ^= (byte) (1 << rnd.nextInt(8));
                }
                attempt(decoder, s, f, "bit flip " + i);
            }
            for (int i = 0; i < SMEARS; i++) {
                byte[] s = stream.clone();
                int at = rnd.nextInt(s.length);
                int n = Math.min(s.length - at, 1 + rnd.nextInt(64));
                for (int k = 0; k < n; k++) {
                    s[at + k] = (byte) (rnd.nextInt(8) == 0 ? 0xFF : rnd.nextInt(256));
                }
                attempt(decoder, s, f, "smear " + i);
            }
        }, f.name());
    }

    private static void attempt(PixelDecoder decoder, byte[] s, Fixture f, String what) {
        try {
            DecodedFrame frame = decoder.decode(s, f.image());
            assertEquals(f.frameBytes(), frame.nativeBytes().length, f.name() + " " + what);
        } catch (DicomException e) {
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof RuntimeException) {
                    fail(f.name() + " " + what + ": unchecked exception inside the decoder", c);
                }
            }
        } catch (Throwable t) {
            fail(f.name() + " " + what + ": " + t, t);
        }
    }

    // ---------------------------------------------------------------- specific refusals

    private static Fixture fixture(String name) {
        return JpegFixtures.all().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    private static String refusal(PixelDecoder decoder, byte[] stream, ImageDescriptor image) {
        DicomException e = assertThrows(DicomException.class, () -> decoder.decode(stream, image));
        assertTrue(e.getCause() == null, "refusal must not come from the last-resort guard: " + e);
        return e.getMessage();
    }

    private static ImageDescriptor with(ImageDescriptor d, int rows, int cols, int spp, int ba) {
        return new ImageDescriptor(rows, cols, spp, ba, Math.min(d.bitsStored(), ba), Math.min(d.highBit(), ba - 1),
                d.signed(), d.planarConfiguration(), d.photometric(), d.frames());
    }

    private static int find(byte[] s, int marker) {
        for (int i = 0; i + 1 < s.length; i++) {
            if ((s[i] & 0xFF) == 0xFF && (s[i + 1] & 0xFF) == marker) {
                return i;
            }
        }
        throw new AssertionError("marker not found");
    }

    @Test
    void descriptorMismatchIsRefusedBeforeDecoding() {
        for (String name : new String[] {"b_g8", "e_g12", "l_g16_sv1", "b_rgb422"}) {
            Fixture f = fixture(name);
            byte[] s = f.streams().get(0);
            PixelDecoder dec = JpegFixtures.DECODERS.get(f.ts());
            ImageDescriptor d = f.image();
            assertTrue(refusal(dec, s, with(d, d.rows() + 1, d.columns(), d.samplesPerPixel(), d.bitsAllocated()))
                    .contains("rows"));
            assertTrue(refusal(dec, s, with(d, d.rows(), d.columns() - 1, d.samplesPerPixel(), d.bitsAllocated()))
                    .contains("columns"));
            assertTrue(refusal(dec, s, with(d, d.rows(), d.columns(), 4 - d.samplesPerPixel(), d.bitsAllocated()))
                    .contains("samples per pixel"));
        }
        Fixture f = fixture("e_g12");
        ImageDescriptor d = f.image();
        assertTrue(refusal(new JpegExtendedDecoder(), f.streams().get(0), with(d, d.rows(), d.columns(), 1, 8))
                .contains("Bits Allocated"));
        assertTrue(refusal(new JpegExtendedDecoder(), f.streams().get(0), with(d, d.rows(), d.columns(), 1, 32))
                .contains("Bits Allocated"));
    }

    @Test
    void missingMarkersAreRefused() {
        Fixture f = fixture("b_g8");
        byte[] s = f.streams().get(0);
        PixelDecoder dec = new JpegBaselineDecoder();
        ImageDescriptor d = f.image();
        assertTrue(refusal(dec, Arrays.copyOfRange(s, 2, s.length), d).contains("SOI"));
        assertTrue(refusal(dec, new byte[0], d).contains("SOI"));
        int eoi = s.length - 2;
        assertEquals(0xD9, s[eoi + 1] & 0xFF);
        assertTrue(refusal(dec, Arrays.copyOf(s, eoi), d).contains("EOI"));
        int sos = find(s, 0xDA);
        byte[] noScan = Arrays.copyOf(s, sos + 2);
        noScan[sos + 1] = (byte) 0xD9; // EOI where the scan was
        assertTrue(refusal(dec, noScan, d).contains("no scan"));
        assertTrue(refusal(dec, Arrays.copyOf(s, sos), d).contains("SOS"));
        int sof = find(s, 0xC0);
        byte[] noSof = s.clone();
        noSof[sof + 1] = (byte) 0xE5; // SOF becomes an APP5 segment
        assertTrue(refusal(dec, noSof, d).contains("SOS before SOF"));
    }

    @Test
    void tableIdsOutOfRangeAreRefused() {
        Fixture f = fixture("b_g8");
        byte[] s = f.streams().get(0);
        PixelDecoder dec = new JpegBaselineDecoder();
        int sos = find(s, 0xDA);
        byte[] badTd = s.clone();
        badTd[sos + 6] = (byte) 0x50; // Td=5, Ta=0
        assertTrue(refusal(dec, badTd, f.image()).contains("out of range"));
        byte[] undefined = s.clone();
        undefined[sos + 6] = (byte) 0x33; // tables 3 are not defined
        assertTrue(refusal(dec, undefined, f.image()).contains("undefined Huffman table"));
        int dqt = find(s, 0xDB);
        byte[] badTq = s.clone();
        badTq[dqt + 4] = (byte) 0x05;
        assertTrue(refusal(dec, badTq, f.image()).contains("DQT"));
        int sof = find(s, 0xC0);
        byte[] badSofTq = s.clone();
        badSofTq[sof + 12] = (byte) 0x07; // component 1's Tq
        assertTrue(refusal(dec, badSofTq, f.image()).contains("quantisation table id"));
        int dht = find(s, 0xC4);
        byte[] badTh = s.clone();
        badTh[dht + 4] = (byte) 0x17; // class 1, id 7
        assertTrue(refusal(dec, badTh, f.image()).contains("DHT"));
    }

    @Test
    void truncatedEntropyDataFailsInsteadOfZeroFillingForever() {
        for (String name : new String[] {"b_g8odd", "e_g12", "l_g16_sv7", "p_g12_rst", "b_rgb420rst"}) {
            Fixture f = fixture(name);
            byte[] s = f.streams().get(0);
            int sos = find(s, 0xDA);
            int cut = sos + (s.length - sos) / 3;
            byte[] t = Arrays.copyOf(s, cut + 2);
            t[cut] = (byte) 0xFF;
            t[cut + 1] = (byte) 0xD9;
            String msg = refusal(JpegFixtures.DECODERS.get(f.ts()), t, f.image());
            assertTrue(msg.contains("ends before") || msg.contains("restart marker") || msg.contains("RST"), msg);
        }
    }

    @Test
    void unsupportedProcessesAreRefused() {
        Fixture f = fixture("b_g8");
        byte[] s = f.streams().get(0);
        byte[] progressive = s.clone();
        progressive[find(s, 0xC0) + 1] = (byte) 0xC2;
        assertTrue(refusal(new JpegBaselineDecoder(), progressive, f.image()).contains("progressive"));
        byte[] arithmetic = s.clone();
        arithmetic[find(s, 0xC0) + 1] = (byte) 0xC9;
        assertTrue(refusal(new JpegBaselineDecoder(), arithmetic, f.image()).contains("unsupported"));
    }

    @Test
    void badHuffmanTableIsRefused() {
        Fixture f = fixture("b_g8");
        byte[] s = f.streams().get(0).clone();
        int dht = find(s, 0xC4);
        int total = 0;
        for (int i = 0; i < 16; i++) {
            total += s[dht + 5 + i] & 0xFF;
        }
        // Same number of codes, but two of length 1 fill the code space: the rest cannot exist.
        for (int i = 0; i < 16; i++) {
            s[dht + 5 + i] = 0;
        }
        s[dht + 5] = 2;
        s[dht + 5 + 15] = (byte) (total - 2);
        assertTrue(refusal(new JpegBaselineDecoder(), s, f.image()).contains("Huffman table"));
    }

    @Test
    void trailingBytesAfterEoiAndPaddingAreAccepted() throws DicomException {
        Fixture f = fixture("l_g12_sv1");
        byte[] s = f.streams().get(0);
        byte[] padded = Arrays.copyOf(s, s.length + 3); // DICOM pads odd fragments with 00
        DecodedFrame frame = new JpegLosslessDecoder().decode(padded, f.image());
        assertEquals(f.frameBytes(), frame.nativeBytes().length);
    }

    @Test
    void lossySixteenBitPrecisionIsNotValidT81() {
        Fixture f = fixture("e_g12");
        byte[] s = f.streams().get(0).clone();
        s[find(s, 0xC1) + 4] = 16;
        assertTrue(refusal(new JpegExtendedDecoder(), s, f.image()).contains("precision 16"));
    }
}
