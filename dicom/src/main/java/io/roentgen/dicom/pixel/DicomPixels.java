package io.roentgen.dicom.pixel;

import io.roentgen.dicom.ImageDescriptor;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.EncapsulatedPixelData;
import io.roentgen.dicom.NativePixelData;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.TransferSyntax;
import io.roentgen.dicom.VR;
import io.roentgen.dicom.codec.DecodeDeadline;
import io.roentgen.dicom.codec.PixelDecoder;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * The step from a parsed {@link DicomObject} to stored values per frame: native pixel data is
 * read in place, encapsulated frames go through the {@link PixelDecoder} of the transfer syntax
 * and then the same native path. Also collects the header attributes the pipeline needs.
 * Decoding honours the caller's {@link DecodeDeadline}, on the executor's threads too.
 */
public final class DicomPixels {
    private DicomPixels() {}

    /** The number of frames of the image (1 when Number of Frames is absent). */
    public static int frameCount(DicomObject dicom) throws DicomException {
        return dicom.imageDescriptor().frames();
    }

    /** Stored values of one frame. */
    public static Frame frame(DicomObject dicom, int index) throws DicomException {
        return frame(dicom, index, short[]::new);
    }

    /**
     * Stored values of one frame; a 16-bit native frame is decoded into an array from {@code pool}
     * (give it back with {@link FramePool#release} once the frame is no longer needed).
     */
    public static Frame frame(DicomObject dicom, int index, FramePool pool) throws DicomException {
        return frame(dicom, index, (IntFunction<short[]>) pool);
    }

    private static Frame frame(DicomObject dicom, int index, IntFunction<short[]> shortArrays) throws DicomException {
        ImageDescriptor image = dicom.imageDescriptor();
        checkIndex(index, image);
        NativePixelData pixels = dicom.nativePixelData();
        if (pixels != null) {
            ByteOrder order = byteOrder(dicom, pixels);
            pixels.checkReadable();
            return pixels.hasArray()
                    ? NativePixelDecoder.decodeFrame(pixels.array(), pixels.offset(), pixels.length(), order, image,
                            index, shortArrays)
                    : NativePixelDecoder.decodeFrame(pixels.buffer(), order, image, index, shortArrays);
        }
        return decodeEncapsulated(dicom, image, index);
    }

    /** Every frame, in order; decoded in parallel on {@code executor} when it is not null. */
    public static List<Frame> frames(DicomObject dicom, ExecutorService executor) throws DicomException {
        int count = frameCount(dicom);
        List<Frame> frames = new ArrayList<>(count);
        if (executor == null || count == 1) {
            for (int i = 0; i < count; i++) {
                frames.add(frame(dicom, i));
            }
            return frames;
        }
        List<Future<Frame>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            futures.add(executor.submit(DecodeDeadline.carry(() -> frame(dicom, index))));
        }
        for (Future<Frame> future : futures) {
            frames.add(await(future, futures));
        }
        return frames;
    }

    /** The header attributes the window step needs: rescale, windows, palette. */
    public static PixelAttributes attributes(DicomObject dicom) throws DicomException {
        PixelAttributes.Builder b = PixelAttributes.builder()
                .rescale(dicom.getDouble(Tag.RescaleSlope, 1.0), dicom.getDouble(Tag.RescaleIntercept, 0.0));
        double[] centers = dicom.getDoubles(Tag.WindowCenter);
        double[] widths = dicom.getDoubles(Tag.WindowWidth);
        if (centers.length > 0 && widths.length > 0) {
            b.windows(centers, widths);
        }
        String function = dicom.getString(Tag.VOILUTFunction);
        if (function != null) {
            b.voiLutFunction(function);
        }
        if ("PALETTE COLOR".equals(dicom.getString(Tag.PhotometricInterpretation))) {
            addPalette(dicom, b);
        }
        return b.build();
    }

    private static void addPalette(DicomObject dicom, PixelAttributes.Builder b) throws DicomException {
        if (dicom.contains(Tag.SegmentedRedPaletteColorLookupTableData)
                && !dicom.contains(Tag.RedPaletteColorLookupTableData)) {
            b.segmentedPalette(true);
            return;
        }
        boolean signed = dicom.getInt(Tag.PixelRepresentation, 0) == 1;
        ByteOrder order = dicom.byteOrder();
        b.palette(
                PaletteLut.fromAttributes("Red", dicom.getInts(Tag.RedPaletteColorLookupTableDescriptor),
                        dicom.getBytes(Tag.RedPaletteColorLookupTableData), order, signed),
                PaletteLut.fromAttributes("Green", dicom.getInts(Tag.GreenPaletteColorLookupTableDescriptor),
                        dicom.getBytes(Tag.GreenPaletteColorLookupTableData), order, signed),
                PaletteLut.fromAttributes("Blue", dicom.getInts(Tag.BluePaletteColorLookupTableDescriptor),
                        dicom.getBytes(Tag.BluePaletteColorLookupTableData), order, signed));
    }

    /** Big endian only for OW in Explicit VR Big Endian: OB is a byte stream in every syntax. */
    private static ByteOrder byteOrder(DicomObject dicom, NativePixelData pixels) {
        return pixels.byteOrder() == ByteOrder.BIG_ENDIAN && pixels.vr() == VR.OW
                ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    private static Frame decodeEncapsulated(DicomObject dicom, ImageDescriptor image, int index)
            throws DicomException {
        EncapsulatedPixelData encapsulated = dicom.encapsulatedPixelData();
        if (encapsulated == null) {
            throw new DicomException("the data set has no Pixel Data " + Tag.toString(Tag.PixelData));
        }
        TransferSyntax syntax = dicom.transferSyntax();
        PixelDecoder decoder = PixelDecoders.forTransferSyntax(syntax);
        DecodeDeadline.check();
        byte[] encoded = encapsulated.frame(index, image.frames());
        PixelDecoder.DecodedFrame decoded = decoder.decode(encoded, image.withFrames(1));
        return NativePixelDecoder.decodeDecompressedFrame(decoded.nativeBytes(),
                image.withPhotometric(decoded.photometric()));
    }

    private static void checkIndex(int index, ImageDescriptor image) throws DicomException {
        if (index < 0 || index >= image.frames()) {
            throw new DicomException("frame " + index + " does not exist: the image has " + image.frames()
                    + (image.frames() == 1 ? " frame" : " frames"));
        }
    }

    private static Frame await(Future<Frame> future, List<Future<Frame>> all) throws DicomException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            all.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof DicomException de) {
                throw de;
            }
            throw new DicomException("frame decoding failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            all.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new DicomException("interrupted while decoding frames", e);
        }
    }
}
