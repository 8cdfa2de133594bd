package io.roentgen.dicom.codec.rle;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.codec.DecodeDeadline;
import io.roentgen.dicom.codec.PixelDecoder;
import io.roentgen.dicom.ImageDescriptor;

import java.util.Arrays;
import java.util.Set;

/**
 * RLE Lossless (1.2.840.10008.1.2.5), DICOM PS3.5 Annex G: a 64-byte header (segment count and
 * up to 15 segment offsets, little endian) followed by PackBits segments, one per byte plane per
 * sample, the most significant byte plane of each sample first. RLE is planar by construction;
 * the decoder interleaves samples and writes little endian bytes.
 *
 * <p>Work is linear in the input plus the output: every PackBits header byte consumes input and
 * the output is allocated once, from the image, never from the stream. Stateless and
 * thread-safe.
 */
public final class RleDecoder implements PixelDecoder {

    /** RLE Lossless. */
    public static final String RLE_LOSSLESS = "1.2.840.10008.1.2.5";

    static final int HEADER_BYTES = 64;
    static final int MAX_SEGMENTS = 15;

    @Override
    public Set<String> transferSyntaxUids() {
        return Set.of(RLE_LOSSLESS);
    }

    @Override
    public DecodedFrame decode(byte[] encodedFrame, ImageDescriptor image) throws DicomException {
        Layout layout = Layout.of(image);
        if (encodedFrame == null || encodedFrame.length < HEADER_BYTES) {
            throw new DicomException("RLE frame shorter than its 64-byte header: "
                    + (encodedFrame == null ? 0 : encodedFrame.length) + " bytes");
        }
        long segments = readUInt32(encodedFrame, 0);
        if (segments != layout.segments()) {
            throw new DicomException("RLE header declares " + segments + " segments, the image ("
                    + image.samplesPerPixel() + " samples of " + image.bitsAllocated() + " bits) needs "
                    + layout.segments());
        }
        int n = (int) segments;
        int[] starts = new int[n + 1];
        for (int i = 0; i < n; i++) {
            long offset = readUInt32(encodedFrame, 4 + 4 * i);
            if (offset < HEADER_BYTES || offset >= encodedFrame.length) {
                throw new DicomException("RLE segment " + i + " offset " + offset
                        + " outside the frame (64.." + (encodedFrame.length - 1) + ")");
            }
            if (i > 0 && offset <= starts[i - 1]) {
                throw new DicomException("RLE segment " + i + " offset " + offset
                        + " not after segment " + (i - 1) + " offset " + starts[i - 1]);
            }
            starts[i] = (int) offset;
        }
        starts[n] = encodedFrame.length;

        int pixels = layout.pixels();
        int bytesPerSample = layout.bytesPerSample();
        int stride = layout.stride();
        byte[] out = new byte[Math.multiplyExact(pixels, stride)];
        byte[] plane = stride == 1 ? out : new byte[pixels];
        for (int seg = 0; seg < n; seg++) {
            DecodeDeadline.check();
            unpackBits(encodedFrame, starts[seg], starts[seg + 1], plane, seg);
            if (stride == 1) {
                continue;
            }
            int sample = seg / bytesPerSample;
            int significance = seg % bytesPerSample; // 0 = most significant byte
            int pos = sample * bytesPerSample + (bytesPerSample - 1 - significance);
            for (int p = 0; p < pixels; p++, pos += stride) {
                out[pos] = plane[p];
            }
        }
        return new DecodedFrame(out, image.photometric());
    }

    /**
     * Decodes one PackBits segment {@code src[from, to)} into all of {@code dst}. Output beyond
     * {@code dst} (sloppy encoders, padding) is ignored; a segment that ends before {@code dst}
     * is full is an error.
     */
    static void unpackBits(byte[] src, int from, int to, byte[] dst, int segment) throws DicomException {
        int s = from;
        int d = 0;
        int limit = dst.length;
        while (d < limit && s < to) {
            int header = src[s++];
            if (header >= 0) {
                int len = header + 1;
                int available = Math.min(len, to - s);
                int copy = Math.min(available, limit - d);
                System.arraycopy(src, s, dst, d, copy);
                s += available;
                d += copy;
                if (available < len && d < limit) {
                    break; // literal run cut off by the end of the segment
                }
            } else if (header != -128) {
                if (s >= to) {
                    break;
                }
                int len = Math.min(1 - header, limit - d);
                byte value = src[s++];
                if (len == 1) {
                    dst[d] = value;
                } else {
                    Arrays.fill(dst, d, d + len, value);
                }
                d += len;
            }
        }
        if (d < limit) {
            throw new DicomException("RLE segment " + segment + " (bytes " + from + ".." + to
                    + ") decodes to " + d + " bytes, the image needs " + limit);
        }
    }

    static long readUInt32(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }

    /** What the image needs from an RLE frame. */
    record Layout(int pixels, int samples, int bytesPerSample) {
        int segments() {
            return samples * bytesPerSample;
        }

        int stride() {
            return samples * bytesPerSample;
        }

        static Layout of(ImageDescriptor image) throws DicomException {
            if (image == null) {
                throw new DicomException("RLE: no image description");
            }
            int bits = image.bitsAllocated();
            if (bits != 8 && bits != 16 && bits != 32) {
                throw new DicomException("RLE: unsupported Bits Allocated " + bits + " (8, 16 or 32)");
            }
            int samples = image.samplesPerPixel();
            if (samples != 1 && samples != 3) {
                throw new DicomException("RLE: unsupported Samples per Pixel " + samples + " (1 or 3)");
            }
            if (image.rows() <= 0 || image.columns() <= 0) {
                throw new DicomException("RLE: image size " + image.rows() + "x" + image.columns());
            }
            long pixels = (long) image.rows() * image.columns();
            int bytesPerSample = bits / 8;
            if (pixels * samples * bytesPerSample > Integer.MAX_VALUE - 16) {
                throw new DicomException("RLE: frame of " + image.rows() + "x" + image.columns()
                        + " pixels too large for one array");
            }
            if (samples * bytesPerSample > MAX_SEGMENTS) {
                throw new DicomException("RLE: " + samples + " samples of " + bits + " bits need more than 15 segments");
            }
            return new Layout((int) pixels, samples, bytesPerSample);
        }
    }
}
