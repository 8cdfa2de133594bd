package io.roentgen.dicom;

import io.roentgen.dicom.codec.rle.RleEncoder;
import io.roentgen.dicom.pixel.DicomPixels;
import io.roentgen.dicom.pixel.Frame;
import io.roentgen.dicom.testing.ReferenceDecoding;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Encapsulated Pixel Data whose fragments hold the bytes of an item tag (FE FF 00 E0) and of a
 * sequence delimiter (FE FF DD E0): RLE literal runs copy pixel bytes verbatim, so pixels with
 * those values put them in the fragment. The item lengths alone must decide where fragments end,
 * as in dcmtk and GDCM; a reader that scanned for delimiters would cut or split the fragments
 * and fail here. Files by dcmtk (dcmcrle), GDCM (gdcmconv --rle) and our writer.
 */
class DelimiterBytesInFragmentsTest {
    private static final byte[] ITEM = {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, 4, 3, 2, 1};
    private static final byte[] SEQUENCE_END = {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 1, 2, 3, 4};
    private static final int ROWS = 6;
    private static final int COLUMNS = 40;
    private static final int FRAMES = 3;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"dcmcrle", "gdcmconv", "roentgen"})
    void fragmentLengthsDecideNotTheBytesInside(String writer) throws Exception {
        byte[] pixels = pixels();
        Path rle = rleFile(writer, pixels);
        byte[] file = Files.readAllBytes(rle);
        assertTrue(indexOf(file, ITEM, 0) > 0 && indexOf(file, SEQUENCE_END, 0) > 0,
                writer + " should have kept the delimiter bytes in a literal run");
        assertTrue(evenAndOddHits(file, ITEM), "the item tag bytes at both word alignments");

        DicomObject dicom = DicomReader.defaults().read(rle);
        EncapsulatedPixelData fragments = dicom.encapsulatedPixelData();
        assertEquals(FRAMES, fragments.fragmentCount(), writer + ": one fragment per frame, none split off");
        List<Frame> frames = DicomPixels.frames(dicom, null);
        assertArrayEquals(unsigned(pixels), samples(frames), writer + ": our decoding against the source");

        byte[] gdcm = ReferenceDecoding.gdcm(rle, tmp).pixels();
        byte[] dcmtk = ReferenceDecoding.dcmtk(rle, tmp, "dcmdrle").pixels();
        assertArrayEquals(pixels, gdcm, writer + ": GDCM's decoding against the source");
        assertArrayEquals(pixels, dcmtk, writer + ": dcmtk's decoding against the source");
    }

    /**
     * Each row a literal run holding both patterns, shifted per row: the filling never repeats a
     * neighbour and stays in 0x10..0xCF, so no run of equal bytes forms next to a pattern.
     */
    private static byte[] pixels() {
        byte[] all = new byte[ROWS * COLUMNS * FRAMES];
        for (int row = 0; row < ROWS * FRAMES; row++) {
            int base = row * COLUMNS;
            for (int x = 0; x < COLUMNS; x++) {
                all[base + x] = (byte) (0x10 + (5 * x + 3 * row) % 0xC0);
            }
            int shift = row % 3;
            System.arraycopy(ITEM, 0, all, base + 2 + shift, ITEM.length);
            System.arraycopy(SEQUENCE_END, 0, all, base + 20 + shift, SEQUENCE_END.length);
        }
        return all;
    }

    private Path rleFile(String writer, byte[] pixels) throws Exception {
        DicomObject image = new DicomObject()
                .putString(Tag.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7")
                .putString(Tag.SOPInstanceUID, "1.2.826.0.1.3680043.10.1329.16.3")
                .putString(Tag.PatientName, "Delimiter^Bytes")
                .putString(Tag.Modality, "OT")
                .putInts(Tag.Rows, ROWS)
                .putInts(Tag.Columns, COLUMNS)
                .putInts(Tag.SamplesPerPixel, 1)
                .putString(Tag.PhotometricInterpretation, "MONOCHROME2")
                .putString(Tag.NumberOfFrames, Integer.toString(FRAMES))
                .putInts(Tag.BitsAllocated, 8)
                .putInts(Tag.BitsStored, 8)
                .putInts(Tag.HighBit, 7)
                .putInts(Tag.PixelRepresentation, 0);
        Path out = tmp.resolve(writer + ".dcm");
        if (writer.equals("roentgen")) {
            ImageDescriptor descriptor = new ImageDescriptor(ROWS, COLUMNS, 1, 8, 8, 7, false, 0, "MONOCHROME2", 1);
            List<byte[]> frames = new ArrayList<>();
            int frameBytes = ROWS * COLUMNS;
            for (int f = 0; f < FRAMES; f++) {
                byte[] frame = Arrays.copyOfRange(pixels, f * frameBytes, (f + 1) * frameBytes);
                frames.add(new RleEncoder().encode(frame, descriptor));
            }
            // No offset table: the fragment count alone splits the frames.
            image.putEncapsulatedPixelData(EncapsulatedPixelData.ofFragments(frames, false));
            DicomWriter.of(TransferSyntax.RLE_LOSSLESS).write(image, out);
            return out;
        }
        Path nativeFile = tmp.resolve("native.dcm");
        DicomWriter.explicitLittleEndian().write(image.putPixelData(VR.OB, pixels), nativeFile);
        if (writer.equals("dcmcrle")) {
            Toolkit.run(null, "dcmcrle", nativeFile.toString(), out.toString()).ok();
        } else {
            Toolkit.run(null, "gdcmconv", "--rle", nativeFile.toString(), out.toString()).ok();
        }
        return out;
    }

    private static boolean evenAndOddHits(byte[] file, byte[] pattern) {
        boolean even = false;
        boolean odd = false;
        for (int at = indexOf(file, pattern, 0); at >= 0; at = indexOf(file, pattern, at + 1)) {
            even |= at % 2 == 0;
            odd |= at % 2 == 1;
        }
        return even && odd;
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int k = 0; k < pattern.length; k++) {
                if (data[i + k] != pattern[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int[] unsigned(byte[] b) {
        int[] v = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            v[i] = b[i] & 0xFF;
        }
        return v;
    }

    private static int[] samples(List<Frame> frames) {
        return frames.stream().flatMapToInt(f -> Arrays.stream(f.samples())).toArray();
    }
}
