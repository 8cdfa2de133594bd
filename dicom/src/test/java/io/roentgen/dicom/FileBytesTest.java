package io.roentgen.dicom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both routes of {@link FileBytes} (plain read below the threshold, one mapped copy above) give the file. */
class FileBytesTest {
    @TempDir
    Path dir;

    @Test
    void smallAndLargeFilesReadExactly() throws Exception {
        Random random = new Random(7);
        for (long size : new long[] {0, 1, 4096, FileBytes.MAP_THRESHOLD - 1, FileBytes.MAP_THRESHOLD,
                3 * FileBytes.MAP_THRESHOLD + 13}) {
            byte[] content = new byte[(int) size];
            random.nextBytes(content);
            Path file = dir.resolve("f" + size);
            Files.write(file, content);
            assertArrayEquals(content, FileBytes.read(file, Integer.MAX_VALUE - 16), "size " + size);
        }
    }

    @Test
    void aFileOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
        Path file = dir.resolve("big");
        Files.write(file, new byte[2 * (int) FileBytes.MAP_THRESHOLD]);
        DicomException e = assertThrows(DicomException.class, () -> FileBytes.read(file, FileBytes.MAP_THRESHOLD));
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
    }

    @Test
    void aLargeDicomFileParsesTheSameFromThePathAsFromItsBytes() throws Exception {
        byte[] pixels = new byte[1024 * 1024 * 2];
        new Random(3).nextBytes(pixels);
        DicomObject written = new DicomObject()
                .putString(Tag.SOPClassUID, "1.2.840.10008.5.1.4.1.1.1")
                .putString(Tag.SOPInstanceUID, "1.2.3.4")
                .putInts(Tag.Rows, 1024)
                .putInts(Tag.Columns, 1024)
                .putInts(Tag.SamplesPerPixel, 1)
                .putString(Tag.PhotometricInterpretation, "MONOCHROME2")
                .putInts(Tag.BitsAllocated, 16)
                .putInts(Tag.BitsStored, 12)
                .putInts(Tag.HighBit, 11)
                .putInts(Tag.PixelRepresentation, 0)
                .putPixelData(VR.OW, pixels);
        Path file = dir.resolve("large.dcm");
        DicomWriter.explicitLittleEndian().write(written, file);
        assertTrue(Files.size(file) >= FileBytes.MAP_THRESHOLD);
        DicomObject fromPath = DicomReader.defaults().read(file);
        DicomObject fromBytes = DicomReader.defaults().read(Files.readAllBytes(file));
        assertArrayEquals(fromBytes.nativePixelData().toByteArray(), fromPath.nativePixelData().toByteArray());
        assertArrayEquals(pixels, fromPath.nativePixelData().toByteArray());
    }
}
