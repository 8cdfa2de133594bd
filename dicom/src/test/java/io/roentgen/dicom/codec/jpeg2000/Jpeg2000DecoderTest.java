package io.roentgen.dicom.codec.jpeg2000;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.ImageDescriptor;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/** The checks made before and after the library runs, and thread safety. */
class Jpeg2000DecoderTest {

    private final Jpeg2000Decoder decoder = new Jpeg2000Decoder();

    static J2kFixtures fixture(String file) {
        return J2kFixtures.all().stream().filter(c -> c.file().equals(file)).findFirst().orElseThrow();
    }

    static ImageDescriptor with(ImageDescriptor i, int rows, int cols, int spp, int alloc, int stored, boolean signed,
            String photometric) {
        return new ImageDescriptor(rows, cols, spp, alloc, stored, stored - 1, signed, 0, photometric, i.frames());
    }

    @Test
    void advertisesBothJpeg2000Syntaxes() {
        assertEquals(Set.of("1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91"), decoder.transferSyntaxUids());
    }

    @Test
    void sizeMismatchIsRefused() {
        J2kFixtures f = fixture("u16_97x61.gdcm");
        ImageDescriptor i = f.image();
        byte[] frame = f.frames().get(0);
        DicomException e = assertThrows(DicomException.class,
                () -> decoder.decode(frame, with(i, 60, 97, 1, 16, 16, false, "MONOCHROME2")));
        assertTrue(e.getMessage().contains("97x61"), e.getMessage());
        assertThrows(DicomException.class, () -> decoder.decode(frame, with(i, 61, 98, 1, 16, 16, false, "MONOCHROME2")));
    }

    @Test
    void componentCountMismatchIsRefused() {
        J2kFixtures f = fixture("u16_97x61.gdcm");
        assertThrows(DicomException.class,
                () -> decoder.decode(f.frames().get(0), with(f.image(), 61, 97, 3, 16, 16, false, "RGB")));
    }

    @Test
    void signednessMismatchDecodesAsTheCodestreamSays() throws Exception {
        // A signed codestream under Pixel Representation 0: the same bytes (GDCM's too); the
        // pixel layer reads them as unsigned. Jpeg2000ArchiveCasesTest compares with GDCM.
        J2kFixtures f = fixture("s16_97x61.gdcm");
        byte[] out = decoder.decode(f.frames().get(0), with(f.image(), 61, 97, 1, 16, 16, false, "MONOCHROME2"))
                .nativeBytes();
        assertArrayEquals(f.sourcePixels(), out);
    }

    @Test
    void precisionAboveBitsAllocatedIsRefused() {
        J2kFixtures f = fixture("u16_97x61.gdcm");
        DicomException e = assertThrows(DicomException.class,
                () -> decoder.decode(f.frames().get(0), with(f.image(), 61, 97, 1, 8, 8, false, "MONOCHROME2")));
        assertTrue(e.getMessage().contains("precision 16"), e.getMessage());
    }

    @Test
    void precisionBelowBitsAllocatedWidensExactly() throws Exception {
        // an 8-bit codestream in a 16-bit container: values zero-extended
        J2kFixtures f = fixture("gray8_64x48.gdcm");
        byte[] out = decoder.decode(f.frames().get(0), with(f.image(), 48, 64, 1, 16, 8, false, "MONOCHROME2")).nativeBytes();
        byte[] source = f.sourcePixels();
        assertEquals(source.length * 2, out.length);
        for (int p = 0; p < source.length; p++) {
            assertEquals(source[p], out[2 * p]);
            assertEquals(0, out[2 * p + 1]);
        }
    }

    @Test
    void unsupportedImagesAreRefused() {
        J2kFixtures f = fixture("u16_97x61.gdcm");
        byte[] frame = f.frames().get(0);
        assertThrows(DicomException.class, () -> decoder.decode(frame, with(f.image(), 61, 97, 1, 32, 16, false, "MONOCHROME2")));
        assertThrows(DicomException.class, () -> decoder.decode(frame, with(f.image(), 61, 97, 2, 16, 16, false, "MONOCHROME2")));
        assertThrows(DicomException.class, () -> decoder.decode(frame, null));
    }

    @Test
    void notJpeg2000IsRefused() {
        ImageDescriptor i = fixture("gray8_64x48.gdcm").image();
        assertThrows(DicomException.class, () -> decoder.decode(null, i));
        assertThrows(DicomException.class, () -> decoder.decode(new byte[0], i));
        assertThrows(DicomException.class, () -> decoder.decode(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16}, i));
        byte[] jp2WithoutCodestream = {0, 0, 0, 12, 'j', 'P', ' ', ' ', 0x0D, 0x0A, (byte) 0x87, 0x0A,
            0, 0, 0, 8, 'f', 't', 'y', 'p'};
        assertThrows(DicomException.class, () -> decoder.decode(jp2WithoutCodestream, i));
    }

    @Test
    void moreTilesThanJpeg2000AllowsIsRefusedBeforeDecoding() {
        ImageDescriptor image = new ImageDescriptor(1000, 1000, 1, 8, 8, 7, false, 0, "MONOCHROME2", 1);
        ByteBuffer b = ByteBuffer.allocate(4 + 2 + 41);
        b.putShort((short) 0xFF4F).putShort((short) 0xFF51).putShort((short) 41).putShort((short) 0)
                .putInt(1000).putInt(1000).putInt(0).putInt(0).putInt(1).putInt(1).putInt(0).putInt(0)
                .putShort((short) 1).put((byte) 7).put((byte) 1).put((byte) 1);
        DicomException e = assertThrows(DicomException.class, () -> decoder.decode(b.array(), image));
        assertTrue(e.getMessage().contains("1000000 tiles"), e.getMessage());
    }

    @Test
    void ybrRctAndIctComeOutAsRgb() throws Exception {
        J2kFixtures rct = fixture("rgb8_65x34.opj-rct");
        assertEquals("YBR_RCT", rct.image().photometric());
        assertEquals("RGB", decoder.decode(rct.frames().get(0), rct.image()).photometric());
        J2kFixtures ict = fixture("rgb8_65x34.opj-ict");
        assertEquals("RGB", decoder.decode(ict.frames().get(0), ict.image()).photometric());
        J2kFixtures grey = fixture("gray8_64x48.gdcm");
        assertEquals("MONOCHROME2", decoder.decode(grey.frames().get(0), grey.image()).photometric());
    }

    @Test
    void trailingPaddingAfterTheCodestreamIsIgnored() throws Exception {
        J2kFixtures f = fixture("s16_97x61.gdcm");
        byte[] frame = f.frames().get(0);
        byte[] padded = Arrays.copyOf(frame, frame.length + 3);
        assertArrayEquals(f.sourcePixels(), decoder.decode(padded, f.image()).nativeBytes());
    }

    @Test
    void decodesInParallelExactly() throws Exception {
        List<J2kFixtures> lossless = J2kFixtures.losslessFiles();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int round = 0; round < 8; round++) {
                for (J2kFixtures f : lossless) {
                    results.add(pool.submit(() -> {
                        byte[] all = new byte[0];
                        for (byte[] frame : f.frames()) {
                            byte[] out = decoder.decode(frame, f.image()).nativeBytes();
                            byte[] joined = Arrays.copyOf(all, all.length + out.length);
                            System.arraycopy(out, 0, joined, all.length, out.length);
                            all = joined;
                        }
                        return Arrays.equals(all, f.sourcePixels());
                    }));
                }
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
