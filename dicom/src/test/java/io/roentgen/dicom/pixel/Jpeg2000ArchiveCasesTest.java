package io.roentgen.dicom.pixel;

import io.roentgen.dicom.ImageDescriptor;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.codec.jpeg2000.Jpeg2000Decoder;
import io.roentgen.dicom.testing.EncapsulatedFrames;
import io.roentgen.dicom.testing.ReferenceDecoding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JPEG 2000 as real archives hold it (fixtures of make-archive-fixtures.sh, written by OpenJPEG
 * and wrapped by dcmtk), read the way a user's file is read and compared with GDCM's decoding
 * (gdcmconv --raw) and pydicom's with GDCM, made now, and with the source pixels.
 */
class Jpeg2000ArchiveCasesTest {
    private static final List<String> FILES = List.of("j2k-signed-pr0.dcm", "j2k-unsigned-pr1.dcm", "jp2-rct.dcm",
            "jp2-rct-cdef.dcm");

    @TempDir
    Path tmp;

    /** pydicom's decoding of every fixture, made once (a Python start takes seconds on a busy machine). */
    private static Map<Path, long[]> pydicom;

    @BeforeAll
    static void decodeWithPydicom(@TempDir Path work) throws Exception {
        pydicom = ReferenceDecoding.pydicomWithGdcm(FILES.stream().map(Jpeg2000ArchiveCasesTest::fixture).toList(), work);
    }

    private static Path fixture(String name) {
        try {
            return Path.of(Jpeg2000ArchiveCasesTest.class.getResource("/fixtures/archive/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing fixture " + name + " (make-archive-fixtures.sh)", e);
        }
    }

    /**
     * Codestream signedness against Pixel Representation: the codestream decides the decoding,
     * Pixel Representation how the 12 stored bits are read, as GDCM's and pydicom's do.
     */
    @ParameterizedTest
    @ValueSource(strings = {"j2k-signed-pr0.dcm", "j2k-unsigned-pr1.dcm"})
    void signednessMismatchDecodesAsGdcmAndPydicom(String name) throws Exception {
        Path file = fixture(name);
        DicomObject dicom = DicomReader.defaults().read(file);
        ImageDescriptor image = dicom.imageDescriptor();
        int[] ours = DicomPixels.frame(dicom, 0).samples();

        ReferenceDecoding.Decoded gdcm = ReferenceDecoding.gdcm(file, tmp);
        int[] gdcmValues = NativePixelDecoder.decodeFrame(gdcm.pixels(), 0, gdcm.pixels().length,
                ByteOrder.LITTLE_ENDIAN, image, 0).samples();
        assertArrayEquals(gdcmValues, ours, name + ": GDCM's pixels read with the file's Pixel Representation");

        // pydicom 2.3 with GDCM returns the 16-bit words: unsigned ones keep the bits above Bits
        // Stored, which PS3.5 8.1.1 says are not part of the value.
        long[] reference = pydicom.get(file);
        int[] pydicomValues = new int[reference.length];
        for (int i = 0; i < reference.length; i++) {
            pydicomValues[i] = image.signed() ? (int) reference[i] : (int) (reference[i] & 0xFFF);
        }
        assertArrayEquals(pydicomValues, ours, name + ": pydicom with GDCM");

        short[] source = shorts(Files.readAllBytes(fixture("s12.raw")));
        int[] expected = new int[source.length];
        for (int i = 0; i < source.length; i++) {
            expected[i] = image.signed() ? source[i] : source[i] & 0xFFF;
        }
        assertArrayEquals(expected, ours, name + ": the source values");
        assertTrue(ours[0] == -2048 || ours[0] == 2048, "the first sample is the most negative 12-bit value");
    }

    /** The mismatch is one warning line per decoder however many frames have it, naming no patient. */
    @Test
    void signednessMismatchLogsOneWarningWithoutPatientData() throws Exception {
        Logger logger = Logger.getLogger(Jpeg2000Decoder.class.getName());
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(capture);
        try {
            Jpeg2000Decoder decoder = new Jpeg2000Decoder();
            for (int round = 0; round < 2; round++) {
                for (String name : new String[] {"j2k-signed-pr0.dcm", "j2k-unsigned-pr1.dcm"}) {
                    byte[] bytes = Files.readAllBytes(fixture(name));
                    ImageDescriptor image = DicomReader.defaults().read(bytes).imageDescriptor();
                    decoder.decode(EncapsulatedFrames.frames(bytes, 1).get(0), image);
                }
            }
        } finally {
            logger.removeHandler(capture);
        }
        assertEquals(1, records.size(), "warnings: " + records.size());
        LogRecord warning = records.get(0);
        assertEquals(Level.WARNING, warning.getLevel());
        String text = new java.util.logging.SimpleFormatter().formatMessage(warning);
        assertTrue(text.contains("Pixel Representation"), text);
        assertFalse(text.contains("Archive") || text.contains("ARCHIVE-16") || text.contains("1.2.826"), text);
        assertFalse(text.contains("\n"), "one line: " + text);
    }

    /**
     * A JP2 file (not a raw codestream) with the reversible colour transform: RGB, as GDCM and
     * pydicom with GDCM decode it, also when the JP2 header's channel definitions reorder the
     * components (OpenJPEG applies them, so GDCM does).
     */
    @ParameterizedTest
    @ValueSource(strings = {"jp2-rct.dcm", "jp2-rct-cdef.dcm"})
    void jp2WithRctHasGdcmsColours(String name) throws Exception {
        Path file = fixture(name);
        DicomObject dicom = DicomReader.defaults().read(file);
        assertEquals("YBR_RCT", dicom.imageDescriptor().photometric());
        Frame ours = DicomPixels.frame(dicom, 0);
        assertEquals("RGB", ours.photometric());

        ReferenceDecoding.Decoded gdcm = ReferenceDecoding.gdcm(file, tmp);
        assertEquals("RGB", gdcm.photometric());
        assertArrayEquals(unsigned(gdcm.pixels()), ours.samples(), name + ": GDCM's RGB");

        long[] reference = pydicom.get(file);
        int[] pydicomValues = new int[reference.length];
        for (int i = 0; i < reference.length; i++) {
            pydicomValues[i] = (int) reference[i];
        }
        assertArrayEquals(pydicomValues, ours.samples(), name + ": pydicom with GDCM");

        int[] source = unsigned(Files.readAllBytes(fixture("rgb8.raw")));
        if (name.contains("cdef")) {
            for (int i = 0; i < source.length; i += 3) { // the channel definitions say blue, green, red
                int red = source[i];
                source[i] = source[i + 2];
                source[i + 2] = red;
            }
        }
        assertArrayEquals(source, ours.samples(), name + ": the source, in the JP2 header's channel order");
    }

    private static short[] shorts(byte[] b) {
        short[] s = new short[b.length / 2];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return s;
    }

    private static int[] unsigned(byte[] b) {
        int[] v = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            v[i] = b[i] & 0xFF;
        }
        return v;
    }
}
