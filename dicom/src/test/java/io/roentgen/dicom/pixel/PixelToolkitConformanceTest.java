package io.roentgen.dicom.pixel;

import io.roentgen.dicom.ImageDescriptor;
import io.roentgen.dicom.image.Preprocessing;
import io.roentgen.dicom.image.PreprocessingSpec;

import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.testing.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The pixel layer against real toolkits on the fixtures of make-pixel-fixtures.sh: stored values
 * against the generator and dcmtk's rendering, colour against dcm2pnm and GDCM, windows against
 * dcm2pnm. Header and pixel bytes come from dcmdump/gdcmraw, never from the production reader.
 */
class PixelToolkitConformanceTest {
    /** Monochrome fixtures with BitsAllocated <= 16 (dcm2pnm can show their stored values exactly). */
    private static final List<String> MONO = List.of("u8_3x3", "u8_bs6_hb6", "u8_ob_be", "u8_ow_2frames_be",
            "u16_511x257", "s16_bs12_hb11", "s16_bs12_hb11_be", "u16_bs12_mono1", "u16_bs10_hb13", "s16_bs10_hb13",
            "u16_bs10_3frames", "u16_bs10_3frames_be", "bits1_3frames", "bits1_3frames_be");

    @TempDir
    Path tmp;

    static Stream<String> fixtures() throws IOException {
        List<String> names = PixelFixture.names();
        assertTrue(names.size() >= 25, "fixtures missing: run dicom/src/test/fixtures/make-pixel-fixtures.sh");
        return names.stream();
    }

    static Stream<String> mono() {
        return MONO.stream();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void storedValuesFromToolkitBytesMatchTheGenerator(String name) throws Exception {
        PixelFixture f = PixelFixture.load(name);
        ImageDescriptor image = f.descriptor();
        byte[] dcmdump = f.pixelBytesDcmdump(tmp);
        byte[] gdcm = f.pixelBytesGdcm(tmp);
        assertArrayEquals(dcmdump, gdcm, "dcmdump +W and gdcmraw disagree on the Pixel Data bytes");

        List<Frame> frames = NativePixelDecoder.decodeAllFrames(dcmdump, 0, dcmdump.length,
                ByteOrder.LITTLE_ENDIAN, image);
        assertEquals(image.frames(), frames.size());

        // The same values from the bytes as they lie in the file, big endian words included.
        byte[] inFile = f.pixelBytesInFile();
        if (f.fileOrder() == ByteOrder.BIG_ENDIAN) {
            assertArrayEquals(swapWords(dcmdump), inFile, "file should hold big endian OW words");
        }
        byte[] padded = new byte[inFile.length + 3];
        System.arraycopy(inFile, 0, padded, 3, inFile.length);
        List<Frame> fromFile = NativePixelDecoder.decodeAllFrames(padded, 3, inFile.length, f.fileOrder(), image);
        for (int i = 0; i < frames.size(); i++) {
            assertTrue(frames.get(i).sameValues(fromFile.get(i)), "frame " + i + " differs by byte order");
        }

        int[] expected = f.expectedStored();
        if (expected != null) {
            assertArrayEquals(expected, concat(frames), name + ": stored values");
        }
    }

    @ParameterizedTest
    @MethodSource("mono")
    void monochromeStoredValuesMatchDcm2pnm(String name) throws Exception {
        PixelFixture f = PixelFixture.load(name);
        ImageDescriptor image = f.descriptor();
        byte[] bytes = f.pixelBytesInFile();
        for (int frame = 0; frame < image.frames(); frame++) {
            Frame decoded = NativePixelDecoder.decodeFrame(bytes, 0, bytes.length, f.fileOrder(), image, frame);
            // Without the modality LUT, a LINEAR window of width 65536 centred on the middle of the
            // value range maps stored values onto 16-bit output one to one.
            PixelFixture.Pnm pnm = f.dcm2pnm(tmp, frame, "+opw", "-M", "+Ww", image.signed() ? "0" : "32768", "65536");
            int[] s = decoded.samples();
            int[] expected = new int[s.length];
            for (int i = 0; i < s.length; i++) {
                int v = image.signed() ? s[i] + 32768 : s[i];
                expected[i] = decoded.photometric().equals("MONOCHROME1") ? 65535 - v : v;
            }
            assertArrayEquals(expected, pnm.samples(), name + " frame " + frame);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rgb8_planar0", "rgb8_planar1", "rgb16_bs12_planar1_2frames_be", "palette8_lut16",
        "palette8_lut16_first10"})
    void rgbAndPaletteMatchDcm2pnmExactly(String name) throws Exception {
        PixelFixture f = PixelFixture.load(name);
        ImageDescriptor image = f.descriptor();
        PixelAttributes attrs = f.attributes(tmp);
        byte[] bytes = f.pixelBytesInFile();
        for (int frame = 0; frame < image.frames(); frame++) {
            Frame rgb = ColorConversion.toRgb(
                    NativePixelDecoder.decodeFrame(bytes, 0, bytes.length, f.fileOrder(), image, frame), attrs);
            assertEquals("RGB", rgb.photometric());
            PixelFixture.Pnm pnm = f.dcm2pnm(tmp, frame, "+opw");
            assertEquals(3, pnm.channels());
            double max = (1 << rgb.bitsStored()) - 1;
            int[] s = rgb.samples();
            for (int i = 0; i < s.length; i++) {
                int expected = (int) Math.round(s[i] * 65535.0 / max);
                int tolerance = rgb.bitsStored() == 8 || rgb.bitsStored() == 16 ? 0 : 1;
                if (Math.abs(expected - pnm.samples()[i]) > tolerance) {
                    fail(name + " frame " + frame + " sample " + i + ": ours " + s[i] + " (" + expected
                            + " at 16 bits), dcm2pnm " + pnm.samples()[i]);
                }
            }
        }
    }

    /**
     * dcmtk truncates instead of rounding and centres chroma on 127.5 instead of 128 (see its
     * diybrpxt.h), so it may differ from the PS3.3 formula by up to 2; GDCM, which rounds, is
     * matched exactly below.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ybr_full_planar0", "ybr_full_planar1", "ybr_full_422"})
    void ybrToRgbWithinTwoOfDcm2pnm(String name) throws Exception {
        PixelFixture f = PixelFixture.load(name);
        ImageDescriptor image = f.descriptor();
        byte[] bytes = f.pixelBytesInFile();
        Frame rgb = ColorConversion.toRgb(
                NativePixelDecoder.decodeFrame(bytes, 0, bytes.length, f.fileOrder(), image, 0), PixelAttributes.NONE);
        PixelFixture.Pnm pnm = f.dcm2pnm(tmp, 0, "+opb");
        assertWithin(2, rgb.samples(), pnm.samples(), name + " vs dcm2pnm");
    }

    /** gdcmconv cannot convert planar YBR (it refuses), so planar 1 is covered by dcm2pnm only. */
    @ParameterizedTest
    @ValueSource(strings = {"ybr_full_planar0"})
    void ybrToRgbMatchesGdcmExactly(String name) throws Exception {
        PixelFixture f = PixelFixture.load(name);
        ImageDescriptor image = f.descriptor();
        byte[] bytes = f.pixelBytesInFile();
        Frame rgb = ColorConversion.toRgb(
                NativePixelDecoder.decodeFrame(bytes, 0, bytes.length, f.fileOrder(), image, 0), PixelAttributes.NONE);
        Path converted = tmp.resolve(name + ".gdcm-rgb.dcm");
        ExternalTool.run(null, "gdcmconv", "-P", "RGB", f.dcm.toString(), converted.toString());
        PixelFixture g = PixelFixture.of(converted);
        assertEquals("RGB", g.descriptor().photometric());
        byte[] gb = g.pixelBytesGdcm(tmp);
        Frame theirs = NativePixelDecoder.decodeFrame(gb, 0, gb.length, ByteOrder.LITTLE_ENDIAN, g.descriptor(), 0);
        assertWithin(0, rgb.samples(), theirs.samples(), name + " vs gdcmconv -P RGB");
    }

    /**
     * gdcmconv --apply-lut aborts on a LUT whose first mapped value is not 0, so the first10
     * fixture is covered by dcm2pnm only; GDCM keeps the high byte of 16-bit entries.
     */
    @ParameterizedTest
    @ValueSource(strings = {"palette8_lut16"})
    void paletteMatchesGdcmApplyLut(String name) throws Exception {
        PixelFixture f = PixelFixture.load(name);
        byte[] bytes = f.pixelBytesInFile();
        Frame rgb = ColorConversion.toRgb(NativePixelDecoder.decodeFrame(bytes, 0, bytes.length, f.fileOrder(),
                f.descriptor(), 0), f.attributes(tmp));
        Path converted = tmp.resolve(name + ".gdcm-lut.dcm");
        ExternalTool.run(null, "gdcmconv", "--apply-lut", f.dcm.toString(), converted.toString());
        PixelFixture g = PixelFixture.of(converted);
        byte[] gb = g.pixelBytesGdcm(tmp);
        Frame theirs = NativePixelDecoder.decodeFrame(gb, 0, gb.length, ByteOrder.LITTLE_ENDIAN, g.descriptor(), 0);
        assertEquals("RGB", theirs.photometric());
        int[] ours8 = rgb.samples().clone();
        int shift = theirs.bitsStored() == 8 ? 8 : 0;
        for (int i = 0; i < ours8.length; i++) {
            ours8[i] >>= shift;
        }
        assertWithin(1, ours8, theirs.samples(), name + " vs gdcmconv --apply-lut");
    }

    /** dcm2pnm options and the pipeline settings that mean the same. */
    record WindowCase(String fixture, int frame, VoiSpec voi, String... options) {
        @Override
        public String toString() {
            return fixture + " " + String.join(" ", options);
        }
    }

    static Stream<WindowCase> windows() {
        return Stream.of(
                new WindowCase("s16_bs12_hb11", 0, VoiSpec.explicit(40, 400), "+Ww", "40", "400"),
                new WindowCase("s16_bs12_hb11_be", 0, VoiSpec.explicit(-600, 1500), "+Ww", "-600", "1500"),
                new WindowCase("s16_bs12_hb11", 0, VoiSpec.file(), "+Wi", "1"),
                new WindowCase("s16_bs12_hb11", 0, VoiSpec.explicit(-600, 1500, VoiFunction.SIGMOID),
                        "+Ww", "-600", "1500", "+Wfs"),
                new WindowCase("s16_bs12_hb11", 0, VoiSpec.minMax(), "+Wm"),
                new WindowCase("u16_bs12_mono1", 0, VoiSpec.file(), "+Wi", "1"),
                new WindowCase("u16_bs12_mono1", 0, VoiSpec.explicit(5000, 4000), "+Ww", "5000", "4000"),
                new WindowCase("u16_511x257", 0, VoiSpec.explicit(30000, 20000), "+Ww", "30000", "20000"),
                new WindowCase("u16_511x257", 0, VoiSpec.minMax(), "+Wm"),
                new WindowCase("u8_3x3", 0, VoiSpec.explicit(128, 200), "+Ww", "128", "200"),
                new WindowCase("u8_3x3", 0, VoiSpec.explicit(100, 1), "+Ww", "100", "1"),
                new WindowCase("u16_bs10_3frames_be", 2, VoiSpec.explicit(500, 300), "+Ww", "500", "300"),
                new WindowCase("s16_bs10_hb13", 0, VoiSpec.explicit(0, 700), "+Ww", "0", "700"));
    }

    @ParameterizedTest
    @MethodSource("windows")
    void pipelineWindowWithinOneGreyLevelOfDcm2pnm(WindowCase c) throws Exception {
        PixelFixture f = PixelFixture.load(c.fixture());
        ImageDescriptor image = f.descriptor();
        byte[] bytes = f.pixelBytesInFile();
        Frame frame = NativePixelDecoder.decodeFrame(bytes, 0, bytes.length, f.fileOrder(), image, c.frame());
        FloatImage out = Preprocessing.of(PreprocessingSpec.window(c.voi(), true)).apply(frame, f.attributes(tmp));
        String[] options = new String[c.options().length + 1];
        options[0] = "+opb";
        System.arraycopy(c.options(), 0, options, 1, c.options().length);
        PixelFixture.Pnm pnm = f.dcm2pnm(tmp, c.frame(), options);
        assertEquals(255, pnm.maxValue());
        int[] ours = new int[out.data().length];
        for (int i = 0; i < ours.length; i++) {
            float v = out.data()[i];
            assertTrue(v >= 0f && v <= 1f, "output outside [0,1]: " + v);
            ours[i] = Math.round(v * 255f);
        }
        assertWithin(1, ours, pnm.samples(), c.toString());
    }

    @Test
    void everyFixtureHasExpectedValuesOrIsCheckedByDcm2pnm() throws IOException {
        for (String name : PixelFixture.names()) {
            boolean hasExpected = PixelFixture.dir().resolve(name + ".stored.i32").toFile().exists();
            assertTrue(hasExpected || MONO.contains(name), name + " is checked against nothing");
        }
    }

    private static void assertWithin(int tolerance, int[] ours, int[] theirs, String what) {
        assertEquals(ours.length, theirs.length, what + ": sample count");
        int worst = 0;
        int at = -1;
        for (int i = 0; i < ours.length; i++) {
            int d = Math.abs(ours[i] - theirs[i]);
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        if (worst > tolerance) {
            fail(what + ": sample " + at + " differs by " + worst + " (ours " + ours[at] + ", theirs " + theirs[at]
                    + "), tolerance " + tolerance);
        }
    }

    private static int[] concat(List<Frame> frames) {
        int n = frames.stream().mapToInt(fr -> fr.samples().length).sum();
        int[] all = new int[n];
        int p = 0;
        for (Frame fr : frames) {
            System.arraycopy(fr.samples(), 0, all, p, fr.samples().length);
            p += fr.samples().length;
        }
        return all;
    }

    private static byte[] swapWords(byte[] b) {
        byte[] s = b.clone();
        for (int i = 0; i + 1 < s.length; i += 2) {
            s[i] = b[i + 1];
            s[i + 1] = b[i];
        }
        return s;
    }
}
