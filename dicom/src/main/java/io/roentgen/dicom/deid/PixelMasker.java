package io.roentgen.dicom.deid;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.ImageDescriptor;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.VR;

import java.util.List;

/**
 * Fills rectangles of native (uncompressed) Pixel Data with zeros, in every frame and every
 * sample. Compressed pixel data would have to be decoded and re-encoded (lossy codecs would
 * lose quality again), so it is refused, never silently passed through with text still burned in.
 */
final class PixelMasker {
    private PixelMasker() {}

    /** Masks in place; returns null on success or the reason it cannot. */
    static String mask(DicomObject ds, List<BurnedInMasks.Region> regions) {
        if (ds.hasEncapsulatedPixelData()) {
            return "compressed pixel data (" + ds.transferSyntax() + ") cannot be masked without re-encoding; "
                    + "decompress it first (e.g. dcmdjpeg, gdcmconv --raw)";
        }
        byte[] pixels = ds.getBytes(Tag.PixelData);
        if (pixels == null) {
            return "no native Pixel Data to mask";
        }
        ImageDescriptor d;
        try {
            d = ds.imageDescriptor();
        } catch (DicomException e) {
            return "cannot mask: " + e.getMessage();
        }
        if (d.bitsAllocated() % 8 != 0) {
            return "cannot mask " + d.bitsAllocated() + "-bit packed pixel data";
        }
        int bytesPerSample = d.bitsAllocated() / 8;
        long frameSamples = (long) d.rows() * d.columns() * d.samplesPerPixel();
        if ((long) pixels.length < frameSamples * bytesPerSample * d.frames()) {
            return "Pixel Data is shorter than its Rows, Columns and frames say";
        }
        for (int f = 0; f < d.frames(); f++) {
            for (BurnedInMasks.Region r : regions) {
                fill(pixels, d, f, bytesPerSample, r);
            }
        }
        ds.putPixelData(ds.vr(Tag.PixelData) == VR.OB ? VR.OB : VR.OW, pixels);
        return null;
    }

    private static void fill(byte[] pixels, ImageDescriptor d, int frame, int bytesPerSample, BurnedInMasks.Region r) {
        int x0 = Math.min(r.x(), d.columns());
        int x1 = Math.min(r.x() + r.width(), d.columns());
        int y1 = Math.min(r.y() + r.height(), d.rows());
        int spp = d.samplesPerPixel();
        long frameBytes = (long) d.rows() * d.columns() * spp * bytesPerSample;
        long planeBytes = (long) d.rows() * d.columns() * bytesPerSample;
        for (int y = Math.min(r.y(), d.rows()); y < y1; y++) {
            if (d.planarConfiguration() == 1) {
                for (int s = 0; s < spp; s++) {
                    long start = frame * frameBytes + s * planeBytes + ((long) y * d.columns() + x0) * bytesPerSample;
                    java.util.Arrays.fill(pixels, (int) start, (int) (start + (long) (x1 - x0) * bytesPerSample), (byte) 0);
                }
            } else {
                long start = frame * frameBytes + ((long) y * d.columns() + x0) * spp * bytesPerSample;
                java.util.Arrays.fill(pixels, (int) start, (int) (start + (long) (x1 - x0) * spp * bytesPerSample), (byte) 0);
            }
        }
    }
}
