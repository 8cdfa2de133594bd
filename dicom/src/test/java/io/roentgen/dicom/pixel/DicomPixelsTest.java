package io.roentgen.dicom.pixel;

import io.roentgen.dicom.image.Windowing;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.EncapsulatedPixelData;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.TransferSyntax;
import io.roentgen.dicom.UnsupportedTransferSyntaxException;
import io.roentgen.dicom.VR;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole path a user's file takes: toolkit-written file -> DicomReader -> DicomPixels ->
 * stored values, compared with the values the toolkits' fixtures were made from.
 */
class DicomPixelsTest {

    private static Path fixture(String relative) {
        try {
            return Path.of(DicomPixelsTest.class.getResource("/fixtures/" + relative).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing fixture " + relative, e);
        }
    }

    private static int[] samples(List<Frame> frames) {
        int total = frames.stream().mapToInt(f -> f.samples().length).sum();
        int[] all = new int[total];
        int at = 0;
        for (Frame f : frames) {
            System.arraycopy(f.samples(), 0, all, at, f.samples().length);
            at += f.samples().length;
        }
        return all;
    }

    /** Every pixel fixture (dump2dcm / dcmconv +tb) read end to end equals the generator's values. */
    @TestFactory
    Stream<DynamicTest> pixelFixturesEndToEnd() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(fixture("pixel"))) {
            for (Path dcm : files.filter(p -> p.toString().endsWith(".dcm")).sorted().toList()) {
                Path stored = dcm.resolveSibling(dcm.getFileName().toString().replace(".dcm", ".stored.i32"));
                if (!Files.exists(stored)) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(dcm.getFileName().toString(), () -> {
                    DicomObject dicom = DicomReader.defaults().read(dcm);
                    int[] expected = readInts(stored);
                    assertArrayEquals(expected, samples(DicomPixels.frames(dicom, null)));
                }));
            }
        }
        assertTrue(tests.size() >= 24, "pixel fixtures with expected values found: " + tests.size());
        return tests.stream();
    }

    /** One CT slice in every native syntax dcmtk writes decodes to the same signed 12-bit values. */
    @TestFactory
    Stream<DynamicTest> ct16InEverySyntax() throws IOException {
        int[] expected = signed12(Files.readAllBytes(fixture("core/ct16-pixels.raw")));
        return Stream.of("ct16-explicit.dcm", "ct16-implicit.dcm", "ct16-bigendian.dcm", "ct16-deflated.dcm",
                        "ct16-undefined-lengths.dcm", "ct16-bare-implicit.dcm", "ct16-bare-bigendian.dcm", "ct16-j2k-gdcm.dcm")
                .map(name -> DynamicTest.dynamicTest(name, () -> {
                    DicomObject dicom = DicomReader.defaults().read(fixture("core/" + name));
                    Frame frame = DicomPixels.frame(dicom, 0);
                    assertEquals(32, frame.rows());
                    assertTrue(frame.signed());
                    assertArrayEquals(expected, frame.samples());
                }));
    }

    @Test
    void multiFrameRleDecodesInParallelLikeSequentially() throws Exception {
        DicomObject dicom = DicomReader.defaults().read(fixture("core/mf-rle.dcm"));
        int[] expected = unsigned16(Files.readAllBytes(fixture("core/mf-pixels.raw")));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            assertArrayEquals(expected, samples(DicomPixels.frames(dicom, pool)));
            assertArrayEquals(expected, samples(DicomPixels.frames(dicom, null)));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMissingFrameIsAClearError() throws Exception {
        DicomObject dicom = DicomReader.defaults().read(fixture("core/mf-rle.dcm"));
        DicomException e = assertThrows(DicomException.class, () -> DicomPixels.frame(dicom, 3));
        assertEquals("frame 3 does not exist: the image has 3 frames", e.getMessage());
    }

    @Test
    void aSyntaxWithoutDecoderNamesItsUidAndName() throws Exception {
        DicomObject dicom = DicomReader.defaults().read(fixture("core/ct16-explicit.dcm"));
        dicom.putEncapsulatedPixelData(EncapsulatedPixelData.ofFrames(List.of(new byte[] {0, 0, 1, (byte) 0xB3})));
        byte[] mpeg = DicomWriter.of(TransferSyntax.lookup("1.2.840.10008.1.2.4.100")).toByteArray(dicom);
        DicomObject video = DicomReader.defaults().read(mpeg);
        UnsupportedTransferSyntaxException e = assertThrows(UnsupportedTransferSyntaxException.class,
                () -> DicomPixels.frame(video, 0));
        assertTrue(e.getMessage().contains("1.2.840.10008.1.2.4.100"), e.getMessage());
        assertTrue(e.getMessage().contains("MPEG2"), e.getMessage());
    }

    @Test
    void headerAttributesReachThePipeline() throws Exception {
        DicomObject dicom = DicomReader.defaults().read(fixture("core/ct16-explicit.dcm"));
        PixelAttributes attributes = DicomPixels.attributes(dicom);
        assertEquals(1.0, attributes.rescaleSlope());
        assertEquals(-1024.0, attributes.rescaleIntercept());
        assertArrayEquals(new double[] {40, 400}, attributes.windowCenters());
        assertArrayEquals(new double[] {400, 1500}, attributes.windowWidths());
        float[] hu = Windowing.modalityValues(DicomPixels.frame(dicom, 0), attributes);
        int[] stored = signed12(Files.readAllBytes(fixture("core/ct16-pixels.raw")));
        assertEquals(stored[5] - 1024f, hu[5]);
        assertEquals(VR.OW, dicom.vr(Tag.PixelData));
    }

    private static int[] readInts(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int[] v = new int[b.remaining() / 4];
        b.asIntBuffer().get(v);
        return v;
    }

    private static int[] signed12(byte[] raw) {
        int[] v = new int[raw.length / 2];
        for (int i = 0; i < v.length; i++) {
            int word = (raw[2 * i] & 0xFF) | (raw[2 * i + 1] & 0xFF) << 8;
            v[i] = (word << 20) >> 20;
        }
        return v;
    }

    private static int[] unsigned16(byte[] raw) {
        int[] v = new int[raw.length / 2];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((raw[2 * i] & 0xFF) | (raw[2 * i + 1] & 0xFF) << 8) & 0x0FFF;
        }
        return v;
    }
}
