package io.roentgen.dicom.codec.jpeg2000;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.testing.EncapsulatedFrames;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

/**
 * The JP2 wrapper around a frame's codestream: the codestream box, the channel definitions that
 * reorder the components, and the boxes refused with their reason. The JP2 file is OpenJPEG's
 * (make-archive-fixtures.sh); Jpeg2000ArchiveCasesTest compares the decoded colours with GDCM.
 */
class Jp2FileTest {

    private static byte[] jp2() throws IOException {
        try (InputStream in = Jp2FileTest.class.getResourceAsStream("/fixtures/archive/jp2-rct.dcm")) {
            return EncapsulatedFrames.frames(in.readAllBytes(), 1).get(0);
        }
    }

    /** The JP2 with one more box (type, contents) at the end of its header box. */
    private static byte[] withHeaderBox(byte[] jp2, String type, int... shorts) {
        int jp2h = indexOf(jp2, "jp2h") - 4;
        int length = ByteBuffer.wrap(jp2, jp2h, 4).getInt();
        ByteBuffer box = ByteBuffer.allocate(8 + 2 * shorts.length).putInt(8 + 2 * shorts.length)
                .put(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (int s : shorts) {
            box.putShort((short) s);
        }
        byte[] out = new byte[jp2.length + box.capacity()];
        System.arraycopy(jp2, 0, out, 0, jp2h + length);
        System.arraycopy(box.array(), 0, out, jp2h + length, box.capacity());
        System.arraycopy(jp2, jp2h + length, out, jp2h + length + box.capacity(), jp2.length - jp2h - length);
        ByteBuffer.wrap(out).putInt(jp2h, length + box.capacity());
        return out;
    }

    @Test
    void findsTheCodestreamAndKeepsItsOrderWithoutChannelDefinitions() throws Exception {
        byte[] f = jp2();
        Jp2File jp2 = Jp2File.parse(f);
        assertEquals(0xFF4F, J2kHeader.u16(f, jp2.codestreamStart()), "SOC");
        assertNull(jp2.channelOrder());
        assertNull(J2kHeader.parse(f).channelOrder());
    }

    @Test
    void channelDefinitionsGiveTheOrder() throws Exception {
        // channel 0 is colour 3 (blue), 1 is green, 2 is red
        byte[] f = withHeaderBox(jp2(), "cdef", 3, 0, 0, 3, 1, 0, 2, 2, 0, 1);
        assertArrayEquals(new int[] {2, 1, 0}, Jp2File.parse(f).channelOrder());
        byte[] identity = withHeaderBox(jp2(), "cdef", 3, 0, 0, 1, 1, 0, 2, 2, 0, 3);
        assertNull(Jp2File.parse(identity).channelOrder());
    }

    @Test
    void palettesOpacityAndAmbiguousChannelsAreRefused() throws Exception {
        DicomException palette = assertThrows(DicomException.class,
                () -> Jp2File.parse(withHeaderBox(jp2(), "pclr", 0, 0)));
        assertTrue(palette.getMessage().contains("palette"), palette.getMessage());
        DicomException opacity = assertThrows(DicomException.class,
                () -> Jp2File.parse(withHeaderBox(jp2(), "cdef", 3, 0, 0, 1, 1, 0, 2, 2, 1, 0)));
        assertTrue(opacity.getMessage().contains("channel definition"), opacity.getMessage());
        assertThrows(DicomException.class, // channel 0 named twice
                () -> Jp2File.parse(withHeaderBox(jp2(), "cdef", 3, 0, 0, 1, 0, 0, 2, 2, 0, 3)));
        assertThrows(DicomException.class, // two channels for three components
                () -> J2kHeader.parse(withHeaderBox(jp2(), "cdef", 2, 0, 0, 2, 1, 0, 1)));
        assertThrows(DicomException.class, // cut inside the box
                () -> Jp2File.parse(withHeaderBox(jp2(), "cdef", 3, 0, 0)));
    }

    private static int indexOf(byte[] b, String ascii) {
        byte[] p = ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + p.length <= b.length; i++) {
            for (int k = 0; k < p.length; k++) {
                if (b[i + k] != p[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("no " + ascii + " box");
    }
}
