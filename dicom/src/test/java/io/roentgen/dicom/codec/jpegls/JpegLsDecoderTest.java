package io.roentgen.dicom.codec.jpegls;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.codec.jpegls.JpegLsFixtures.Fixture;
import io.roentgen.dicom.codec.jpegls.JpegLsStreams.Part;
import io.roentgen.dicom.ImageDescriptor;
import io.roentgen.dicom.testing.EncapsulatedFrames;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JpegLsDecoderTest {
    private final JpegLsDecoder decoder = new JpegLsDecoder();

    private static Fixture fixture(String file) {
        return JpegLsFixtures.all().stream().filter(f -> f.file().equals(file)).findFirst().orElseThrow();
    }

    private static byte[] firstFrame(Fixture f) {
        return f.frames().get(0);
    }

    private static ImageDescriptor withRows(ImageDescriptor d, int rows) {
        return new ImageDescriptor(rows, d.columns(), d.samplesPerPixel(), d.bitsAllocated(), d.bitsStored(),
                d.highBit(), d.signed(), d.planarConfiguration(), d.photometric(), d.frames());
    }

    private static ImageDescriptor withAllocation(ImageDescriptor d, int bitsAllocated, int samples) {
        return new ImageDescriptor(d.rows(), d.columns(), samples, bitsAllocated, d.bitsStored(), d.highBit(),
                d.signed(), d.planarConfiguration(), d.photometric(), d.frames());
    }

    private String refusal(byte[] stream, ImageDescriptor image) {
        return assertThrows(DicomException.class, () -> decoder.decode(stream, image)).getMessage();
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void registersBothTransferSyntaxes() {
        assertEquals(Set.of("1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81"), decoder.transferSyntaxUids());
    }

    @Test
    void defaultThresholdsFollowT87() {
        // T.87 table C.3 and C.2.4.1.1.1
        assertArrayEquals(new int[] {3, 7, 21}, CodingParameters.defaultThresholds(255, 0));
        assertArrayEquals(new int[] {18, 67, 276}, CodingParameters.defaultThresholds(4095, 0));
        assertArrayEquals(new int[] {18, 67, 276}, CodingParameters.defaultThresholds(65535, 0));
        assertArrayEquals(new int[] {9, 17, 35}, CodingParameters.defaultThresholds(255, 2));
        assertArrayEquals(new int[] {39, 102, 325}, CodingParameters.defaultThresholds(4095, 7));
        // MAXVAL < 128: FACTOR = 256 / (MAXVAL + 1)
        assertArrayEquals(new int[] {2, 3, 5}, CodingParameters.defaultThresholds(63, 0));
        assertArrayEquals(new int[] {3, 6, 12}, CodingParameters.defaultThresholds(63, 1));
        // T.87's CLAMP gives j (here T2) for a value above MAXVAL
        assertArrayEquals(new int[] {2, 3, 3}, CodingParameters.defaultThresholds(3, 0));
        // CharLS 1.x uses the MAXVAL >= 128 formula throughout
        assertArrayEquals(new int[] {2, 3, 4}, CodingParameters.charLs1Thresholds(63, 0));
        assertArrayEquals(new int[] {5, 8, 11}, CodingParameters.charLs1Thresholds(63, 1));
        assertArrayEquals(CodingParameters.defaultThresholds(255, 3), CodingParameters.charLs1Thresholds(255, 3));
    }

    @Test
    void derivedParameters() throws Exception {
        CodingParameters p = CodingParameters.resolve(8, 0, 0, 0, 0, 0, 0, false);
        assertEquals(256, p.range);
        assertEquals(8, p.qbpp);
        assertEquals(32, p.limit);
        CodingParameters n = CodingParameters.resolve(16, 3, 0, 0, 0, 0, 0, false);
        assertEquals((65535 + 6) / 7 + 1, n.range);
        assertEquals(14, n.qbpp);
        assertEquals(64, n.limit);
        assertThrows(DicomException.class, () -> CodingParameters.resolve(8, 200, 0, 0, 0, 0, 0, false));
        assertThrows(DicomException.class, () -> CodingParameters.resolve(8, 0, 0, 9, 5, 0, 0, false));
        assertThrows(DicomException.class, () -> CodingParameters.resolve(8, 0, 300, 0, 0, 0, 0, false));
        assertThrows(DicomException.class, () -> CodingParameters.resolve(8, 0, 0, 0, 0, 0, 2, false));
    }

    @Test
    void presetParametersSegmentIsInTheCustomThresholdFixtures() {
        for (String name : List.of("dcmtk_ll_gray8_noisy_lse.dcm", "dcmtk_ll_gray16_smooth_lse.dcm",
                "dcmtk_nl2_gray8_noisy_lse.dcm")) {
            List<Part> parts = JpegLsStreams.split(firstFrame(fixture(name)));
            int lse = JpegLsStreams.indexOf(parts, 0xF8);
            assertTrue(lse >= 0, name + " has an LSE segment");
            assertEquals(1, parts.get(lse).bytes()[4], "LSE id 1 in " + name);
        }
    }

    @Test
    void charLs1DefaultThresholdsAreTheFallbackBelow8Bits() throws Exception {
        for (String name : List.of("dcmtk_nl1_gray6.dcm", "dcmtk_ll_gray6_cooked.dcm")) {
            Fixture f = fixture(name);
            byte[] frame = firstFrame(f);
            assertThrows(DicomException.class, () -> JpegLsDecoder.decodeWithDefaults(frame, f.image(), false),
                    name + " is not decodable with the T.87 defaults");
            byte[] legacy = JpegLsDecoder.decodeWithDefaults(frame, f.image(), true).nativeBytes();
            assertArrayEquals(legacy, decoder.decode(frame, f.image()).nativeBytes());
        }
    }

    @Test
    void standardDefaultThresholdsBelow8BitsMatchCharLs2() throws Exception {
        // CharLS 2.x computes the T.87 defaults for MAXVAL < 128: no fallback needed for its streams
        for (String name : List.of("charls_ll_gray2.jls", "charls_nl1_gray2.jls", "charls_ll_gray6.jls",
                "charls_nl1_gray6.jls", "charls_nl2_gray4.jls")) {
            Fixture f = fixture(name);
            byte[] decoded = JpegLsDecoder.decodeWithDefaults(firstFrame(f), f.image(), false).nativeBytes();
            assertArrayEquals(Arrays.copyOf(f.referencePixels(), decoded.length), decoded, name);
        }
    }

    @Test
    void restartIntervalsSplicedFromBandFiles() throws Exception {
        String tsv = new String(JpegLsFixtures.resource("restart.tsv"), StandardCharsets.UTF_8);
        int checked = 0;
        for (String line : tsv.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] c = line.split("\t");
            String prefix = c[0];
            int bandRows = Integer.parseInt(c[2]);
            int bands = Integer.parseInt(c[3]);
            Fixture whole = JpegLsFixtures.all().stream().filter(f -> f.source().equals(c[1]) && f.lossless())
                    .findFirst().orElseThrow();
            ImageDescriptor image = whole.image();
            List<byte[]> streams = new ArrayList<>();
            for (int b = 0; b < bands; b++) {
                byte[] file = JpegLsFixtures.resource(prefix + "_band" + b + ".dcm");
                streams.add(EncapsulatedFrames.frames(file, 1).get(0));
            }
            byte[] spliced = JpegLsStreams.spliceWithRestarts(streams, image.rows(), bandRows);
            byte[] decoded = decoder.decode(spliced, image).nativeBytes();
            byte[] source = Arrays.copyOf(whole.sourcePixels(), (int) image.nativeFrameBytes());
            assertArrayEquals(source, decoded, prefix + " (" + c[4] + ") with restart interval " + bandRows);

            // a wrong restart marker number is refused
            byte[] wrong = spliced.clone();
            int rst = indexOfMarker(wrong, 0xD0);
            wrong[rst + 1] = (byte) 0xD3;
            assertTrue(refusal(wrong, image).contains("restart marker"));
            // so is a missing DRI (the RSTm is then a marker in the middle of the scan)
            List<Part> parts = JpegLsStreams.split(spliced);
            parts.remove(JpegLsStreams.indexOf(parts, 0xDD));
            assertThrows(DicomException.class, () -> decoder.decode(JpegLsStreams.join(parts), image));
            checked++;
        }
        assertTrue(checked >= 5);
    }

    private static int indexOfMarker(byte[] s, int marker) {
        for (int i = 0; i + 1 < s.length; i++) {
            if ((s[i] & 0xFF) == 0xFF && (s[i + 1] & 0xFF) == marker) {
                return i;
            }
        }
        throw new AssertionError("no marker " + Integer.toHexString(marker));
    }

    @Test
    void oversizeDimensionsSegment() throws Exception {
        Fixture f = fixture("dcmtk_ll_gray8_smooth.dcm");
        byte[] frame = firstFrame(f);
        List<Part> parts = JpegLsStreams.split(frame);
        int sof = JpegLsStreams.indexOf(parts, 0xF7);
        byte[] h = parts.get(sof).bytes().clone();
        int rows = f.image().rows();
        int cols = f.image().columns();
        h[5] = 0;
        h[6] = 0;
        h[7] = 0;
        h[8] = 0;
        parts.set(sof, new Part(0xF7, h));
        parts.add(sof + 1, JpegLsStreams.segment(0xF8, 4, 3, 0, rows >> 8, rows & 0xFF, 0, cols >> 8, cols & 0xFF));
        byte[] expected = decoder.decode(frame, f.image()).nativeBytes();
        assertArrayEquals(expected, decoder.decode(JpegLsStreams.join(parts), f.image()).nativeBytes());
    }

    @Test
    void missingEoiAndTrailingBytesAreTolerated() throws Exception {
        Fixture f = fixture("dcmtk_ll_rgb8_ilv0.dcm");
        byte[] frame = firstFrame(f);
        byte[] expected = decoder.decode(frame, f.image()).nativeBytes();
        int eoi = indexOfMarker(frame, 0xD9);
        assertArrayEquals(expected, decoder.decode(Arrays.copyOf(frame, eoi), f.image()).nativeBytes());
        byte[] padded = Arrays.copyOf(frame, frame.length + 3);
        assertArrayEquals(expected, decoder.decode(padded, f.image()).nativeBytes());
    }

    @Test
    void truncatedScanIsRefused() {
        Fixture f = fixture("dcmtk_ll_gray16_full.dcm");
        byte[] frame = firstFrame(f);
        String message = refusal(Arrays.copyOf(frame, frame.length / 2), f.image());
        assertTrue(message.contains("ends before the image is complete"), message);
        // a missing scan (ILV 0 colour, stream cut after the first component)
        Fixture rgb = fixture("dcmtk_ll_rgb8_ilv0.dcm");
        byte[] stream = firstFrame(rgb);
        List<Part> parts = JpegLsStreams.split(stream);
        int secondScan = -1;
        for (int i = JpegLsStreams.indexOf(parts, 0xDA) + 1; i < parts.size(); i++) {
            if (parts.get(i).marker() == 0xDA) {
                secondScan = i;
                break;
            }
        }
        List<Part> cut = new ArrayList<>(parts.subList(0, secondScan));
        cut.add(new Part(0xD9, new byte[] {(byte) 0xFF, (byte) 0xD9}));
        assertTrue(refusal(JpegLsStreams.join(cut), rgb.image()).contains("every component"));
    }

    @Test
    void refusesWhatItDoesNotSupport() {
        Fixture f = fixture("dcmtk_ll_gray8_noisy.dcm");
        ImageDescriptor image = f.image();
        byte[] frame = firstFrame(f);
        List<Part> parts = JpegLsStreams.split(frame);

        // HP colour transform, APP8 "mrfx"
        List<Part> hp = new ArrayList<>(parts);
        hp.add(1, JpegLsStreams.segment(0xE8, 'm', 'r', 'f', 'x', 1));
        assertTrue(refusal(JpegLsStreams.join(hp), image).contains("colour transform"));
        // ... but "mrfx" with transform 0 (none) is fine
        List<Part> none = new ArrayList<>(parts);
        none.add(1, JpegLsStreams.segment(0xE8, 'm', 'r', 'f', 'x', 0));
        assertDecodes(JpegLsStreams.join(none), image);
        // HP colour transform, LSE id 0x0D
        List<Part> lse = new ArrayList<>(parts);
        lse.add(1, JpegLsStreams.segment(0xF8, 0x0D, 1, 2, 3));
        assertTrue(refusal(JpegLsStreams.join(lse), image).contains("colour transform"));

        // a mapping table selected in the scan header
        List<Part> mapped = new ArrayList<>(parts);
        int sos = JpegLsStreams.indexOf(mapped, 0xDA);
        byte[] sosBytes = mapped.get(sos).bytes().clone();
        sosBytes[6] = 1;
        mapped.set(sos, new Part(0xDA, sosBytes));
        assertTrue(refusal(JpegLsStreams.join(mapped), image).contains("mapping tables"));

        // not JPEG-LS: SOF0
        byte[] sof0 = frame.clone();
        sof0[indexOfMarker(sof0, 0xF7) + 1] = (byte) 0xC0;
        assertTrue(refusal(sof0, image).contains("not JPEG-LS"));
        // no SOI
        assertTrue(refusal(Arrays.copyOfRange(frame, 2, frame.length), image).contains("SOI"));
        assertThrows(DicomException.class, () -> decoder.decode(null, image));
        assertThrows(DicomException.class, () -> decoder.decode(new byte[0], image));
    }

    @Test
    void headerMustMatchTheImageDescription() {
        Fixture f = fixture("dcmtk_ll_gray16_full.dcm");
        byte[] frame = firstFrame(f);
        ImageDescriptor image = f.image();
        assertTrue(refusal(frame, withRows(image, image.rows() + 1)).contains(" x "));
        assertTrue(refusal(frame, withAllocation(image, 16, 3)).contains("components"));
        assertTrue(refusal(frame, withAllocation(image, 8, 1)).contains("precision"));
        assertTrue(refusal(frame, withAllocation(image, 32, 1)).contains("bits allocated"));
        // a descriptor far larger than any array is refused before anything is allocated
        ImageDescriptor huge = new ImageDescriptor(65535, 65535, 3, 16, 16, 15, false, 0, "RGB", 1);
        assertTrue(refusal(frame, huge).contains("too large"));
        // 8-bit precision widened into 16 bits allocated
        Fixture g8 = fixture("dcmtk_ll_gray8_noisy.dcm");
        byte[] wide = assertDecodes(firstFrame(g8), withAllocation(g8.image(), 16, 1));
        byte[] narrow = g8.sourcePixels();
        for (int i = 0; i < narrow.length; i++) {
            assertEquals(narrow[i] & 0xFF, (wide[2 * i] & 0xFF) | (wide[2 * i + 1] & 0xFF) << 8);
        }
    }

    @Test
    void decodedOutputIsAlwaysInterleaved() throws Exception {
        byte[] ilv0 = decoder.decode(firstFrame(fixture("dcmtk_ll_rgb8_ilv0.dcm")),
                fixture("dcmtk_ll_rgb8_ilv0.dcm").image()).nativeBytes();
        byte[] ilv1 = decoder.decode(firstFrame(fixture("dcmtk_ll_rgb8_ilv1.dcm")),
                fixture("dcmtk_ll_rgb8_ilv1.dcm").image()).nativeBytes();
        byte[] ilv2 = decoder.decode(firstFrame(fixture("dcmtk_ll_rgb8_ilv2.dcm")),
                fixture("dcmtk_ll_rgb8_ilv2.dcm").image()).nativeBytes();
        assertArrayEquals(ilv0, ilv1);
        assertArrayEquals(ilv0, ilv2);
        assertArrayEquals(fixture("dcmtk_ll_rgb8_ilv0.dcm").sourcePixels(), ilv0);
    }

    private byte[] assertDecodes(byte[] stream, ImageDescriptor image) {
        try {
            return decoder.decode(stream, image).nativeBytes();
        } catch (DicomException e) {
            throw new AssertionError("expected to decode: " + e.getMessage(), e);
        }
    }
}
