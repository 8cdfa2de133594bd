package io.roentgen.dicom.pixel;

import io.roentgen.dicom.ImageDescriptor;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.TransferSyntax;
import io.roentgen.dicom.VR;
import io.roentgen.dicom.testing.ExternalTool;
import io.roentgen.dicom.testing.ReferenceDecoding;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Explicit VR Big Endian with Bits Allocated 32 in OW, written by dcmtk (dcmconv +tb) and by our
 * writer: OW is a stream of 16-bit words (PS3.5 6.2), so each 32-bit value lies in the file as two
 * big endian words, low word first. Our decoding must equal GDCM's (gdcmconv --raw) and dcmtk's
 * (dcmconv +te) and the values written. Both halves of every value differ, so a decoding that
 * swapped them, or swapped the value as one 32-bit word, fails.
 */
class BigEndianThirtyTwoBitTest {
    private static final int[] VALUES = {0x04030201, 0x0D0C0B0A, 0x11223344, 0xA1B2C3D4, 0x80000001, 0x7FFF0001,
        -2, 0x0001FFFF, 0x12345678, 0xFEDCBA98, 0x00010002, 0x55AA33CC};

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}, signed {1}")
    @CsvSource({"dcmconv, false", "dcmconv, true", "roentgen, false", "roentgen, true"})
    void decodesAsGdcmAndDcmtk(String writer, boolean signed) throws Exception {
        Path littleEndian = tmp.resolve("le.dcm");
        DicomWriter.explicitLittleEndian().write(image(signed), littleEndian);
        Path bigEndian = tmp.resolve(writer + ".dcm");
        if (writer.equals("dcmconv")) {
            ExternalTool.run(null, "dcmconv", "+tb", littleEndian.toString(), bigEndian.toString());
        } else {
            DicomWriter.of(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN).write(image(signed), bigEndian);
        }

        byte[] file = Files.readAllBytes(bigEndian);
        byte[] firstValue = java.util.Arrays.copyOfRange(file, file.length - 4 * VALUES.length,
                file.length - 4 * VALUES.length + 4); // Pixel Data ends the file
        assertArrayEquals(new byte[] {2, 1, 4, 3}, firstValue, writer + ": 0x04030201 as two big endian words");
        DicomObject dicom = DicomReader.defaults().read(bigEndian);
        assertEquals(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, dicom.transferSyntax());
        assertEquals(VR.OW, dicom.vr(Tag.PixelData));
        int[] ours = DicomPixels.frame(dicom, 0).samples();
        assertArrayEquals(VALUES, ours, writer + ": the values written");

        ImageDescriptor image = dicom.imageDescriptor();
        byte[] gdcm = ReferenceDecoding.gdcm(bigEndian, tmp).pixels();
        assertArrayEquals(VALUES, decodeLittleEndian(gdcm, image), writer + ": GDCM's decoding");
        byte[] dcmtk = ReferenceDecoding.dcmtk(bigEndian, tmp, "dcmconv", "+te").pixels();
        assertArrayEquals(VALUES, decodeLittleEndian(dcmtk, image), writer + ": dcmtk's decoding");
    }

    private static int[] decodeLittleEndian(byte[] bytes, ImageDescriptor image) throws Exception {
        return NativePixelDecoder.decodeFrame(bytes, 0, bytes.length, ByteOrder.LITTLE_ENDIAN, image, 0).samples();
    }

    private static DicomObject image(boolean signed) {
        ByteBuffer pixels = ByteBuffer.allocate(4 * VALUES.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : VALUES) {
            pixels.putInt(v);
        }
        return new DicomObject()
                .putString(Tag.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7")
                .putString(Tag.SOPInstanceUID, "1.2.826.0.1.3680043.10.1329.16.1")
                .putString(Tag.Modality, "OT")
                .putInts(Tag.Rows, 3)
                .putInts(Tag.Columns, 4)
                .putInts(Tag.SamplesPerPixel, 1)
                .putString(Tag.PhotometricInterpretation, "MONOCHROME2")
                .putInts(Tag.BitsAllocated, 32)
                .putInts(Tag.BitsStored, 32)
                .putInts(Tag.HighBit, 31)
                .putInts(Tag.PixelRepresentation, signed ? 1 : 0)
                .putPixelData(VR.OW, pixels.array());
    }
}
