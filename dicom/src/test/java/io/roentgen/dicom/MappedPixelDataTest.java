package io.roentgen.dicom;

import io.roentgen.dicom.pixel.DicomPixels;
import io.roentgen.dicom.pixel.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Large files read from a path keep their native Pixel Data as a view of the file's mapping;
 * everything read that way must equal what the array route (already checked against dcmtk and
 * GDCM) gives for the same bytes, in every transfer syntax dcmtk converts the file to, and files
 * the view cannot serve must still read through the array route.
 */
class MappedPixelDataTest {
    @TempDir
    Path dir;

    private static DicomObject image(int rows, int columns, int samples, int bitsAllocated, int bitsStored,
            boolean signed, int frames, int planar, long seed) {
        int bytes = rows * columns * samples * (bitsAllocated / 8) * frames;
        byte[] pixels = new byte[bytes + (bytes & 1)];
        new Random(seed).nextBytes(pixels);
        DicomObject o = new DicomObject()
                .putString(Tag.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7")
                .putString(Tag.SOPInstanceUID, "1.2.3.4." + seed)
                .putString(Tag.PatientName, "Mapped^Test")
                .putInts(Tag.Rows, rows)
                .putInts(Tag.Columns, columns)
                .putInts(Tag.SamplesPerPixel, samples)
                .putString(Tag.PhotometricInterpretation, samples == 3 ? "RGB" : "MONOCHROME2")
                .putInts(Tag.BitsAllocated, bitsAllocated)
                .putInts(Tag.BitsStored, bitsStored)
                .putInts(Tag.HighBit, bitsStored - 1)
                .putInts(Tag.PixelRepresentation, signed ? 1 : 0);
        if (samples == 3) {
            o.putInts(Tag.PlanarConfiguration, planar);
        }
        if (frames > 1) {
            o.putString(Tag.NumberOfFrames, Integer.toString(frames));
        }
        return o.putPixelData(bitsAllocated == 8 ? VR.OB : VR.OW, pixels);
    }

    private Path write(DicomObject o, String name) throws Exception {
        Path file = dir.resolve(name);
        DicomWriter.explicitLittleEndian().write(o, file);
        assertTrue(Files.size(file) >= FileBytes.VIEW_THRESHOLD, name + " must be large enough to be mapped");
        return file;
    }

    private Path dcmconv(Path in, String option) throws Exception {
        Path out = dir.resolve(in.getFileName() + option.replace("+", "_") + ".dcm");
        Toolkit.run(null, "dcmconv", option, in.toString(), out.toString()).ok();
        return out;
    }

    /** Reads the file both ways and checks every element and every decoded frame agree. */
    private static DicomObject assertSameAsFromBytes(Path file, boolean expectMapped) throws Exception {
        DicomObject fromPath = DicomReader.defaults().read(file);
        DicomObject fromBytes = DicomReader.defaults().read(Files.readAllBytes(file));
        assertEquals(fromBytes.transferSyntax(), fromPath.transferSyntax(), file.toString());
        assertArrayEquals(fromBytes.tags(), fromPath.tags(), file.toString());
        for (int tag : fromBytes.tags()) {
            assertEquals(fromBytes.vr(tag), fromPath.vr(tag), Tag.toString(tag));
            assertEquals(fromBytes.valueLength(tag), fromPath.valueLength(tag), Tag.toString(tag));
            if (tag != Tag.PixelData) {
                assertArrayEquals(fromBytes.getBytes(tag), fromPath.getBytes(tag), Tag.toString(tag));
            }
        }
        assertEquals(fromBytes.pixelDataPosition(), fromPath.pixelDataPosition());
        assertFalse(fromPath.stoppedBeforePixelData());
        NativePixelData px = fromPath.nativePixelData();
        if (px == null) {
            assertEquals(null, fromBytes.nativePixelData());
            return fromPath;
        }
        assertEquals(expectMapped, !px.hasArray(), file + ": " + px);
        NativePixelData expected = fromBytes.nativePixelData();
        assertEquals(expected.byteOrder(), px.byteOrder());
        assertEquals(expected.vr(), px.vr());
        assertEquals(expected.length(), px.length());
        assertArrayEquals(expected.toByteArray(), px.toByteArray());
        assertArrayEquals(fromBytes.getBytes(Tag.PixelData), fromPath.getBytes(Tag.PixelData));
        ImageDescriptor image = fromPath.imageDescriptor();
        for (int f = 0; f < image.frames(); f++) {
            assertArrayEquals(expected.frame(f, image), px.frame(f, image), "frame " + f);
            Frame want = DicomPixels.frame(fromBytes, f);
            Frame got = DicomPixels.frame(fromPath, f);
            assertTrue(want.sameValues(got), file + " frame " + f);
            assertEquals(want.shortSamples() != null, got.shortSamples() != null);
        }
        return fromPath;
    }

    /**
     * Views are unmapped only by the GC: at most {@link FileBytes#MAX_LIVE_VIEWS} are kept at once,
     * later files are read into arrays (same values), and views come back once the GC frees some.
     */
    @Test
    void liveViewsAreBoundedAndComeBackAfterTheGc() throws Exception {
        Path file = write(image(512, 512, 1, 16, 12, false, 1, 0, 3), "bounded.dcm");
        java.util.List<DicomObject> kept = new java.util.ArrayList<>();
        while (FileBytes.liveViews() < FileBytes.MAX_LIVE_VIEWS) {
            DicomObject read = DicomReader.defaults().read(file);
            kept.add(read);
            assertFalse(read.nativePixelData().hasArray(), "a view while under the bound");
        }
        DicomObject overBound = DicomReader.defaults().read(file);
        assertTrue(overBound.nativePixelData().hasArray(), "read into an array at the bound");
        assertTrue(DicomPixels.frame(overBound, 0).sameValues(DicomPixels.frame(kept.get(0), 0)));
        kept.clear();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!FileBytes.mayKeepView() && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertFalse(DicomReader.defaults().read(file).nativePixelData().hasArray(), "views again after the GC");
    }

    @Test
    void sixteenBitImagesInEverySyntaxDcmtkWritesAreViewsOfTheMapping() throws Exception {
        Path explicitLe = write(image(1000, 601, 1, 16, 12, false, 1, 0, 1), "ct.dcm");
        assertSameAsFromBytes(explicitLe, true);
        assertSameAsFromBytes(dcmconv(explicitLe, "+ti"), true);
        assertSameAsFromBytes(dcmconv(explicitLe, "+tb"), true);
        Path signed = write(image(700, 800, 1, 16, 16, true, 1, 0, 2), "signed.dcm");
        assertSameAsFromBytes(signed, true);
        assertSameAsFromBytes(dcmconv(signed, "+tb"), true);
    }

    @Test
    void eightBitMultiFrameAndColourDecodeAsFromTheArray() throws Exception {
        // 701 x 701 bytes per frame: odd, so in big endian OW frame 1 starts mid-word
        Path mono = write(image(701, 701, 1, 8, 8, false, 3, 0, 3), "us.dcm");
        assertSameAsFromBytes(mono, true);
        assertSameAsFromBytes(dcmconv(mono, "+ti"), true);
        assertSameAsFromBytes(dcmconv(mono, "+tb"), true);
        Path planar = write(image(600, 640, 3, 8, 8, false, 1, 1, 4), "rgb-planar.dcm");
        assertSameAsFromBytes(planar, true);
        Path rgb16 = write(image(300, 400, 3, 16, 16, false, 2, 0, 5), "rgb16.dcm");
        assertSameAsFromBytes(rgb16, true);
        assertSameAsFromBytes(dcmconv(rgb16, "+tb"), true);
    }

    @Test
    void filesTheViewCannotServeReadThroughTheArray() throws Exception {
        // an element after Pixel Data
        DicomObject padded = image(1024, 600, 1, 16, 12, false, 1, 0, 6).putBytes(Tag.DataSetTrailingPadding, VR.OB,
                new byte[64]);
        assertSameAsFromBytes(write(padded, "padded.dcm"), false);
        // deflated: the data set must be inflated (random pixels do not shrink: still large)
        Path plain = write(image(1024, 600, 1, 16, 16, false, 1, 0, 7), "plain.dcm");
        Path deflated = dcmconv(plain, "+td");
        assertTrue(Files.size(deflated) >= FileBytes.VIEW_THRESHOLD);
        assertSameAsFromBytes(deflated, false);
        // encapsulated (RLE)
        Path rle = dir.resolve("rle.dcm");
        Toolkit.run(null, "dcmcrle", plain.toString(), rle.toString()).ok();
        assertTrue(Files.size(rle) >= FileBytes.VIEW_THRESHOLD);
        DicomObject read = assertSameAsFromBytes(rle, false);
        assertNotNull(read.encapsulatedPixelData());
        assertTrue(DicomPixels.frame(read, 0).sameValues(DicomPixels.frame(DicomReader.defaults().read(plain), 0)));
        // too small to be worth mapping
        Path small = dir.resolve("small.dcm");
        DicomWriter.explicitLittleEndian().write(image(200, 300, 1, 16, 12, false, 1, 0, 11), small);
        assertTrue(Files.size(small) < FileBytes.VIEW_THRESHOLD);
        assertSameAsFromBytes(small, false);
        // no Pixel Data at all
        DicomObject noPixels = new DicomObject().putString(Tag.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7")
                .putString(Tag.SOPInstanceUID, "1.2.3")
                .putBytes(0x00091010, VR.OB, new byte[(int) FileBytes.MAP_THRESHOLD]);
        DicomObject back = assertSameAsFromBytes(write(noPixels.putString(0x00090010, "ROENTGEN TEST"), "nopx.dcm"),
                false);
        assertEquals(null, back.nativePixelData());
    }

    @Test
    void aTruncatedLargeFileFailsAsFromTheArray() throws Exception {
        Path file = write(image(1024, 600, 1, 16, 12, false, 1, 0, 8), "cut.dcm");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(file) - 10);
        }
        DicomException fromBytes = assertThrows(DicomException.class,
                () -> DicomReader.defaults().read(Files.readAllBytes(file)));
        DicomException fromPath = assertThrows(DicomException.class, () -> DicomReader.defaults().read(file));
        assertEquals(fromBytes.getMessage(), fromPath.getMessage());
    }

    @Test
    void aFileTruncatedAfterItWasReadIsADicomExceptionWhenDecoded() throws Exception {
        Path file = write(image(1024, 600, 1, 16, 12, false, 1, 0, 9), "shrinks.dcm");
        DicomObject read = DicomReader.defaults().read(file);
        assertFalse(read.nativePixelData().hasArray());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(4096);
        }
        DicomException e = assertThrows(DicomException.class, () -> DicomPixels.frame(read, 0));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        ImageDescriptor image = read.imageDescriptor();
        assertThrows(DicomException.class, () -> read.nativePixelData().frame(0, image));
        assertThrows(UncheckedIOException.class, () -> read.nativePixelData().toByteArray());
    }

    @Test
    void aMappedObjectWritesBackAsTheArrayReadOneDoes() throws Exception {
        Path file = write(image(1024, 600, 1, 16, 12, false, 1, 0, 10), "rewrite.dcm");
        DicomObject mapped = DicomReader.defaults().read(file);
        assertFalse(mapped.nativePixelData().hasArray());
        for (TransferSyntax ts : new TransferSyntax[] {TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN}) {
            ByteArrayOutputStream fromMapped = new ByteArrayOutputStream();
            ByteArrayOutputStream fromArray = new ByteArrayOutputStream();
            DicomWriter.of(ts).write(mapped, fromMapped);
            DicomWriter.of(ts).write(DicomReader.defaults().read(Files.readAllBytes(file)), fromArray);
            assertArrayEquals(fromArray.toByteArray(), fromMapped.toByteArray(), ts.toString());
        }
        assertArrayEquals(Files.readAllBytes(file), writeToBytes(mapped));
        assertEquals(new DicomDumper().dump(DicomReader.defaults().read(Files.readAllBytes(file))),
                new DicomDumper().dump(mapped));
    }

    @Test
    void aMappedObjectWritesToAFileAsToAStream() throws Exception {
        // To a file the mapped Pixel Data is copied by the kernel from the source file, not through the stream path.
        Path file = write(image(1024, 600, 1, 16, 12, false, 1, 0, 11), "tofile.dcm");
        DicomObject mapped = DicomReader.defaults().read(file);
        assertFalse(mapped.nativePixelData().hasArray());
        for (TransferSyntax ts : new TransferSyntax[] {TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN,
                TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN}) {
            Path out = dir.resolve("out-" + ts.uid() + ".dcm");
            DicomWriter.of(ts).write(mapped, out);
            ByteArrayOutputStream fromArray = new ByteArrayOutputStream();
            DicomWriter.of(ts).write(DicomReader.defaults().read(Files.readAllBytes(file)), fromArray);
            assertArrayEquals(fromArray.toByteArray(), Files.readAllBytes(out), ts.toString());
        }
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(dir.resolve("out-" + TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid() + ".dcm")));
    }

    @Test
    void aSourceTruncatedBeforeTheWriteFailsItWithAnIOException() throws Exception {
        Path file = write(image(1024, 600, 1, 16, 12, false, 1, 0, 12), "shrinks-before-write.dcm");
        DicomObject read = DicomReader.defaults().read(file);
        assertFalse(read.nativePixelData().hasArray());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(4096);
        }
        java.io.IOException toFile = assertThrows(java.io.IOException.class,
                () -> DicomWriter.explicitLittleEndian().write(read, dir.resolve("never.dcm")));
        assertTrue(toFile.getMessage().contains("truncated"), toFile.getMessage());
        java.io.IOException toStream = assertThrows(java.io.IOException.class,
                () -> DicomWriter.explicitLittleEndian().write(read, new ByteArrayOutputStream()));
        assertTrue(toStream.getMessage().contains("truncated"), toStream.getMessage());
    }

    @Test
    void aSourceReplacedOrDeletedAfterTheReadStillWritesTheBytesThatWereRead() throws Exception {
        // To a file the Pixel Data is copied by the kernel from the file at the path; a file put
        // in its place (same size, other pixels) or its removal must not change what is written.
        Path file = write(image(1024, 600, 1, 16, 12, false, 1, 0, 13), "replaced.dcm");
        byte[] original = Files.readAllBytes(file);
        DicomObject read = DicomReader.defaults().read(file);
        assertFalse(read.nativePixelData().hasArray());
        Path other = write(image(1024, 600, 1, 16, 12, false, 1, 0, 14), "other.dcm");
        Files.move(other, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(original.length, Files.size(file));
        Path out = dir.resolve("from-replaced.dcm");
        DicomWriter.explicitLittleEndian().write(read, out);
        assertArrayEquals(original, Files.readAllBytes(out));

        DicomObject again = DicomReader.defaults().read(file);
        byte[] replacement = Files.readAllBytes(file);
        Files.delete(file);
        Path out2 = dir.resolve("from-deleted.dcm");
        DicomWriter.explicitLittleEndian().write(again, out2);
        assertArrayEquals(replacement, Files.readAllBytes(out2));
    }

    private static byte[] writeToBytes(DicomObject o) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter.explicitLittleEndian().write(o, out);
        return out.toByteArray();
    }
}
