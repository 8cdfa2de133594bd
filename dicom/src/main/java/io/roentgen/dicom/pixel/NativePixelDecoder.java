package io.roentgen.dicom.pixel;

import io.roentgen.dicom.ImageDescriptor;

import io.roentgen.dicom.DicomException;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Native (uncompressed) Pixel Data bytes to the stored values of one {@link Frame}.
 *
 * <p>Handles BitsAllocated 1, 8, 16 and 32; BitsStored/HighBit masking (values live in bits
 * {@code HighBit-BitsStored+1 .. HighBit}, whatever is around them is masked off); sign extension
 * from BitsStored when PixelRepresentation is 1; SamplesPerPixel 1 and 3; PlanarConfiguration 0
 * and 1; the uncompressed {@code YBR_FULL_422}/{@code YBR_PARTIAL_422} layout
 * {@code Y0 Y1 Cb Cr} per pair of pixels; multi-frame (frame {@code i} starts at
 * {@code i * frameBytes}; with BitsAllocated 1 frames are packed back to back and may start
 * mid-byte, pixels least significant bit first).
 *
 * <p><b>Byte order.</b> {@code order} is the byte order of the 16-bit words of an OW value:
 * pass {@link ByteOrder#BIG_ENDIAN} only for OW Pixel Data in Explicit VR Big Endian, and
 * {@link ByteOrder#LITTLE_ENDIAN} for every little endian transfer syntax and for OB Pixel Data in
 * any transfer syntax. Big endian OW is a stream of big endian 16-bit words whatever BitsAllocated
 * is, as dcmtk and GDCM write it: 8-bit samples in OW are swapped in pairs, and a 32-bit sample is
 * two big endian words, low word first ({@code b1 b0 b3 b2}).
 *
 * <p>Stateless and thread-safe; frames of one image may be decoded in parallel.
 */
public final class NativePixelDecoder {
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** Most samples one frame may hold (a Java array's practical limit). */
    public static final long MAX_SAMPLES_PER_FRAME = Integer.MAX_VALUE - 16;

    private NativePixelDecoder() {}

    /**
     * Decodes frame {@code frameIndex} of native Pixel Data.
     *
     * @param data       the buffer holding the Pixel Data value
     * @param offset     where the value starts in {@code data}
     * @param length     the value's length in bytes (all frames; a trailing pad byte is fine)
     * @param order      byte order of the OW words, see the class comment
     * @param image      the Image Pixel module; {@code frames} is the NumberOfFrames
     * @param frameIndex 0-based frame number, {@code 0 <= frameIndex < image.frames()}
     * @return the frame's stored values; its photometric is the image's, upper case
     * @throws DicomException when the descriptor is invalid or unsupported, or the value is shorter
     *     than {@code image.frames()} frames of this geometry need (the message names both sizes)
     * @throws IllegalArgumentException when offset/length lie outside {@code data} or the frame
     *     index is outside the image: mistakes of the caller, not of the file
     */
    public static Frame decodeFrame(byte[] data, int offset, int length, ByteOrder order, ImageDescriptor image,
            int frameIndex) throws DicomException {
        return decodeFrame(data, offset, length, order, image, frameIndex, short[]::new);
    }

    /**
     * As {@link #decodeFrame(byte[], int, int, ByteOrder, ImageDescriptor, int)}, taking the array
     * of a 16-bit frame from {@code shortArrays} (a {@link FramePool}), which must return an array
     * of exactly the length asked for; every element is overwritten.
     */
    public static Frame decodeFrame(byte[] data, int offset, int length, ByteOrder order, ImageDescriptor image,
            int frameIndex, IntFunction<short[]> shortArrays) throws DicomException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(image, "image");
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IllegalArgumentException("offset " + offset + " and length " + length
                    + " outside a buffer of " + data.length + " bytes");
        }
        Layout layout = Layout.of(image, true);
        if (frameIndex < 0 || frameIndex >= image.frames()) {
            throw new IllegalArgumentException("frame index " + frameIndex + " outside 0.." + (image.frames() - 1));
        }
        boolean bigEndian = order == ByteOrder.BIG_ENDIAN;
        checkLength(length, bigEndian, image, layout);
        return decode(data, offset, bigEndian, image, layout, frameIndex, shortArrays);
    }

    private static void checkLength(int length, boolean bigEndian, ImageDescriptor image, Layout layout)
            throws DicomException {
        long need = expectedBytes(layout, image.frames());
        long needPhysical = bigEndian && image.bitsAllocated() != 16 && image.bitsAllocated() != 32
                ? need + (need & 1) : need;
        if (length < needPhysical) {
            throw new DicomException("Pixel Data (7FE0,0010) is too short: " + describe(image) + " need "
                    + needPhysical + " bytes, the value holds " + length + " bytes");
        }
    }

    /**
     * Decodes frame {@code frameIndex} of native Pixel Data held in a buffer (heap, direct or a
     * mapped file): the bytes of {@code value} from its position to its limit, as in
     * {@link #decodeFrame(byte[], int, int, ByteOrder, ImageDescriptor, int)}. The common 16-bit
     * layout is decoded straight from the buffer into the frame (one bulk copy, an intrinsic,
     * then the masking in place); other layouts of a buffer without an array copy the frame's
     * bytes (or, for big endian and 1-bit data, the value's) first.
     *
     * @throws DicomException as the array form, and when a mapped file can no longer be read
     *     (it was truncated after the mapping was made)
     */
    public static Frame decodeFrame(ByteBuffer value, ByteOrder order, ImageDescriptor image, int frameIndex)
            throws DicomException {
        return decodeFrame(value, order, image, frameIndex, short[]::new);
    }

    /** As {@link #decodeFrame(ByteBuffer, ByteOrder, ImageDescriptor, int)}, 16-bit arrays from {@code shortArrays}. */
    public static Frame decodeFrame(ByteBuffer value, ByteOrder order, ImageDescriptor image, int frameIndex,
            IntFunction<short[]> shortArrays) throws DicomException {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(shortArrays, "shortArrays");
        if (value.hasArray()) {
            return decodeFrame(value.array(), value.arrayOffset() + value.position(), value.remaining(), order, image,
                    frameIndex, shortArrays);
        }
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(image, "image");
        Layout layout = Layout.of(image, true);
        if (frameIndex < 0 || frameIndex >= image.frames()) {
            throw new IllegalArgumentException("frame index " + frameIndex + " outside 0.." + (image.frames() - 1));
        }
        boolean bigEndian = order == ByteOrder.BIG_ENDIAN;
        checkLength(value.remaining(), bigEndian, image, layout);
        try {
            return decodeBuffer(value.slice(), bigEndian, image, layout, frameIndex, shortArrays);
        } catch (InternalError e) {
            // The JVM's report of a page fault in a mapped file (it was truncated under us), when
            // it reports it here: from compiled code it may come later (see NativePixelData#checkReadable).
            throw new DicomException("Pixel Data can no longer be read: the file was truncated after it was read", e);
        }
    }

    /** Samples copied from a buffer and masked at a time: 16 KB. */
    private static final int CHUNK = 8192;

    private static Frame decodeBuffer(ByteBuffer value, boolean bigEndian, ImageDescriptor image, Layout l,
            int frameIndex, IntFunction<short[]> shortArrays) {
        int n = (int) l.sourceSamples;
        if (l.bitsAllocated == 16 && !l.subsampled && !l.planar) {
            int start = (int) ((long) frameIndex * n * 2);
            short[] out = shortArrays.apply(n);
            ShortBuffer words = value.position(start).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
                    .asShortBuffer();
            // In chunks that stay in the L1/L2 cache, so the masking costs no second pass over memory.
            for (int from = 0; from < n; from += CHUNK) {
                int to = Math.min(n, from + CHUNK);
                words.get(out, from, to - from);
                shift16(out, from, to, l.lsh, l.rsh, l.signed);
            }
            return Frame.ofShorts(l.rows, l.columns, l.samplesPerPixel, 16, image.bitsStored(), l.signed,
                    l.photometric, out);
        }
        if (bigEndian || l.bitsAllocated == 1) {
            // Frames may start mid-byte or mid-word: decode from a copy of the whole value.
            byte[] all = new byte[value.remaining()];
            value.get(0, all);
            return decode(all, 0, bigEndian, image, l, frameIndex, shortArrays);
        }
        long frameBytes = l.sourceSamples * (l.bitsAllocated / 8);
        byte[] frame = new byte[(int) frameBytes];
        value.get((int) (frameIndex * frameBytes), frame);
        return decode(frame, 0, false, image, l, 0, shortArrays);
    }

    /** Decodes every frame of native Pixel Data: see {@link #decodeFrame}. */
    public static List<Frame> decodeAllFrames(byte[] data, int offset, int length, ByteOrder order,
            ImageDescriptor image) throws DicomException {
        Layout.of(image, true);
        List<Frame> frames = new ArrayList<>(Math.min(image.frames(), 1024));
        for (int f = 0; f < image.frames(); f++) {
            frames.add(decodeFrame(data, offset, length, order, image, f));
        }
        return frames;
    }

    /**
     * Decodes the output of a {@code PixelDecoder} (a decompressed frame): little endian, samples
     * interleaved, values in the low {@code bitsStored} bits, and always full resolution, so
     * {@code YBR_FULL_422} here has three samples per pixel (the subsampling was the codec's).
     * Planar configuration, high bit and frame count of {@code image} are ignored.
     *
     * @param nativeBytes the decoded frame ({@code DecodedFrame.nativeBytes()})
     * @param image       the Image Pixel module, with the photometric the codec returned
     */
    public static Frame decodeDecompressedFrame(byte[] nativeBytes, ImageDescriptor image) throws DicomException {
        Objects.requireNonNull(nativeBytes, "nativeBytes");
        ImageDescriptor d = new ImageDescriptor(image.rows(), image.columns(), image.samplesPerPixel(),
                image.bitsAllocated(), image.bitsStored(), image.bitsStored() - 1, image.signed(), 0,
                image.photometric(), 1);
        Layout layout = Layout.of(d, false);
        long need = expectedBytes(layout, 1);
        if (nativeBytes.length < need) {
            throw new DicomException("decompressed frame is too short: " + describe(d) + " need " + need
                    + " bytes, the codec returned " + nativeBytes.length + " bytes");
        }
        return decode(nativeBytes, 0, false, d, layout, 0, short[]::new);
    }

    /**
     * Bytes native Pixel Data of this image needs for all its frames (bit-packed frames for
     * BitsAllocated 1, the 4:2:2 layout for uncompressed YBR_*_422), before any pad byte.
     *
     * @throws DicomException when the descriptor is invalid or unsupported
     */
    public static long expectedBytes(ImageDescriptor image) throws DicomException {
        Layout layout = Layout.of(image, true);
        if (image.frames() < 1) {
            throw new DicomException("NumberOfFrames (0028,0008) must be at least 1, got " + image.frames());
        }
        return expectedBytes(layout, image.frames());
    }

    /**
     * Checks that the descriptor is one this decoder supports, without decoding anything.
     *
     * @throws DicomException naming the attribute that is wrong
     */
    public static void validate(ImageDescriptor image) throws DicomException {
        Layout.of(image, true);
        if (image.frames() < 1) {
            throw new DicomException("NumberOfFrames (0028,0008) must be at least 1, got " + image.frames());
        }
    }

    /** Overflow-safe: Long.MAX_VALUE when no buffer could be that large. */
    private static long expectedBytes(Layout layout, int frames) {
        try {
            long bits = Math.multiplyExact(layout.sourceSamples * layout.bitsAllocated, (long) frames);
            return bits / 8 + ((bits & 7) == 0 ? 0 : 1);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static String describe(ImageDescriptor image) {
        return image.rows() + " rows x " + image.columns() + " columns x " + image.samplesPerPixel()
                + " samples x " + image.bitsAllocated() + " bits x " + image.frames() + " frame(s)"
                + (isSubsampled422(image.photometric()) ? " (4:2:2)" : "");
    }

    private static boolean isSubsampled422(String photometric) {
        String p = normalise(photometric);
        return p.equals("YBR_FULL_422") || p.equals("YBR_PARTIAL_422");
    }

    static String normalise(String photometric) {
        return photometric == null ? "" : photometric.trim().toUpperCase(Locale.ROOT);
    }

    /** Validated geometry of one frame. */
    private record Layout(int rows, int columns, int samplesPerPixel, int bitsAllocated, int lsh, int rsh,
            boolean signed, boolean planar, boolean subsampled, long sourceSamples, String photometric) {

        static Layout of(ImageDescriptor d, boolean nativeLayout) throws DicomException {
            if (d.rows() < 1 || d.rows() > 65535) {
                throw new DicomException("Rows (0028,0010) must be 1..65535, got " + d.rows());
            }
            if (d.columns() < 1 || d.columns() > 65535) {
                throw new DicomException("Columns (0028,0011) must be 1..65535, got " + d.columns());
            }
            int spp = d.samplesPerPixel();
            if (spp != 1 && spp != 3) {
                throw new DicomException("SamplesPerPixel (0028,0002) must be 1 or 3, got " + spp);
            }
            int ba = d.bitsAllocated();
            if (ba != 1 && ba != 8 && ba != 16 && ba != 32) {
                throw new DicomException("BitsAllocated (0028,0100) must be 1, 8, 16 or 32, got " + ba);
            }
            int bs = d.bitsStored();
            if (bs < 1 || bs > ba) {
                throw new DicomException("BitsStored (0028,0101) must be 1.." + ba + " for BitsAllocated " + ba
                        + ", got " + bs);
            }
            int hb = d.highBit();
            if (hb < bs - 1 || hb > ba - 1) {
                throw new DicomException("HighBit (0028,0102) must be " + (bs - 1) + ".." + (ba - 1)
                        + " for BitsStored " + bs + " and BitsAllocated " + ba + ", got " + hb);
            }
            if (d.frames() < 1) {
                throw new DicomException("NumberOfFrames (0028,0008) must be at least 1, got " + d.frames());
            }
            String p = normalise(d.photometric());
            boolean mono = p.equals("MONOCHROME1") || p.equals("MONOCHROME2") || p.equals("PALETTE COLOR");
            boolean colour = p.equals("RGB") || p.startsWith("YBR_");
            if (mono && spp != 1) {
                throw new DicomException("PhotometricInterpretation " + p + " needs SamplesPerPixel 1, got " + spp);
            }
            if (colour && spp != 3) {
                throw new DicomException("PhotometricInterpretation " + p + " needs SamplesPerPixel 3, got " + spp);
            }
            if (ba == 1 && spp != 1) {
                throw new DicomException("BitsAllocated 1 needs SamplesPerPixel 1, got " + spp);
            }
            boolean planar = false;
            if (spp == 3) {
                int pc = d.planarConfiguration();
                if (pc != 0 && pc != 1) {
                    throw new DicomException("PlanarConfiguration (0028,0006) must be 0 or 1, got " + pc);
                }
                planar = pc == 1;
            }
            boolean subsampled = nativeLayout && (p.equals("YBR_FULL_422") || p.equals("YBR_PARTIAL_422"));
            if (subsampled) {
                if (ba != 8 && ba != 16) {
                    throw new DicomException(p + " needs BitsAllocated 8 or 16, got " + ba);
                }
                if ((d.columns() & 1) != 0) {
                    throw new DicomException(p + " needs an even number of Columns (0028,0011), got " + d.columns());
                }
                planar = false; // PS3.3 C.7.6.3.1.3: 4:2:2 is always interleaved
            }
            long pixels = (long) d.rows() * d.columns();
            long samples = pixels * spp;
            if (samples > MAX_SAMPLES_PER_FRAME) {
                throw new DicomException("frame of " + d.rows() + " x " + d.columns() + " x " + spp
                        + " samples is larger than this decoder supports (" + MAX_SAMPLES_PER_FRAME + ")");
            }
            long sourceSamples = subsampled ? pixels * 2 : samples;
            return new Layout(d.rows(), d.columns(), spp, ba, 31 - hb, 32 - bs, d.signed(), planar, subsampled,
                    sourceSamples, p);
        }
    }

    private static Frame decode(byte[] data, int offset, boolean bigEndian, ImageDescriptor image, Layout l,
            int frameIndex, IntFunction<short[]> shortArrays) {
        int n = (int) l.sourceSamples;
        if (l.bitsAllocated == 16 && !l.subsampled && !l.planar) {
            // The common case (CT, MR, CR, DX): stays 16-bit, half the memory traffic of ints.
            int start = (int) (offset + (long) frameIndex * n * 2);
            return Frame.ofShorts(l.rows, l.columns, l.samplesPerPixel, 16, image.bitsStored(), l.signed,
                    l.photometric, decode16(data, start, bigEndian, n, l.lsh, l.rsh, l.signed, shortArrays.apply(n)));
        }
        int[] src = new int[n];
        if (l.bitsAllocated == 1) {
            decode1(data, offset, bigEndian, (long) frameIndex * n, n, src);
        } else {
            long start = (long) frameIndex * n * (l.bitsAllocated / 8);
            switch (l.bitsAllocated) {
                case 8 -> decode8(data, offset, bigEndian, start, n, l.lsh, l.rsh, l.signed, src);
                case 16 -> decode16ToInts(data, offset + start, bigEndian, n, l.lsh, l.rsh, l.signed, src);
                default -> decode32(data, offset + start, bigEndian, n, l.lsh, l.rsh, l.signed, src);
            }
        }
        int[] samples = src;
        if (l.subsampled) {
            samples = expand422(src, l.rows * l.columns);
        } else if (l.planar) {
            samples = interleave(src, l.rows * l.columns);
        }
        return new Frame(l.rows, l.columns, l.samplesPerPixel, l.bitsAllocated, image.bitsStored(), l.signed,
                l.photometric, samples);
    }

    private static void decode1(byte[] d, int offset, boolean bigEndian, long firstBit, int n, int[] out) {
        int swap = bigEndian ? 1 : 0;
        for (int i = 0; i < n; i++) {
            long bit = firstBit + i;
            int b = d[offset + (int) ((bit >>> 3) ^ swap)];
            out[i] = (b >>> (int) (bit & 7)) & 1;
        }
    }

    private static void decode8(byte[] d, int offset, boolean bigEndian, long start, int n, int lsh, int rsh,
            boolean signed, int[] out) {
        if (bigEndian) {
            // OW words swapped in pairs; start may be odd for frames of odd size.
            for (int i = 0; i < n; i++) {
                int v = (d[offset + (int) ((start + i) ^ 1)] & 0xFF) << lsh;
                out[i] = signed ? v >> rsh : v >>> rsh;
            }
            return;
        }
        int base = (int) (offset + start);
        if (lsh == 24 && rsh == 24) { // the common case: 8 of 8 bits
            if (signed) {
                for (int i = 0; i < n; i++) {
                    out[i] = d[base + i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[i] = d[base + i] & 0xFF;
                }
            }
        } else if (signed) {
            for (int i = 0; i < n; i++) {
                out[i] = (d[base + i] << lsh) >> rsh;
            }
        } else if (lsh == rsh) { // HighBit = BitsStored - 1: a mask is enough
            int mask = (1 << (32 - rsh)) - 1;
            for (int i = 0; i < n; i++) {
                out[i] = d[base + i] & mask;
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = (d[base + i] << lsh) >>> rsh;
            }
        }
    }

    /** 16-bit samples as ints: only planar and 4:2:2 colour come here, the rest is {@link #decode16} to shorts. */
    private static void decode16ToInts(byte[] d, long start, boolean bigEndian, int n, int lsh, int rsh, boolean signed,
            int[] out) {
        int base = (int) start;
        int bitsStored = 32 - rsh;
        boolean lowAligned = 31 - lsh == bitsStored - 1; // HighBit = BitsStored - 1: no shift needed
        // Fast paths for the layouts nearly every file has: one mask (or nothing) per sample
        // instead of two variable shifts, so the loop body is a load, an and, a store.
        if (lowAligned && !signed) {
            int mask = (int) ((1L << bitsStored) - 1);
            if (bigEndian) {
                unsigned16Be(d, base, n, mask, out);
            } else {
                unsigned16Le(d, base, n, mask, out);
            }
            return;
        }
        if (lowAligned && bitsStored == 16 && !bigEndian) {
            for (int i = 0; i < n; i++) {
                out[i] = (short) SHORT_LE.get(d, base + 2 * i);
            }
            return;
        }
        if (bigEndian) {
            if (signed) {
                for (int i = 0; i < n; i++) {
                    out[i] = ((short) SHORT_BE.get(d, base + 2 * i) << lsh) >> rsh;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[i] = ((short) SHORT_BE.get(d, base + 2 * i) << lsh) >>> rsh;
                }
            }
        } else if (signed) {
            for (int i = 0; i < n; i++) {
                out[i] = ((short) SHORT_LE.get(d, base + 2 * i) << lsh) >> rsh;
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = ((short) SHORT_LE.get(d, base + 2 * i) << lsh) >>> rsh;
            }
        }
    }

    /**
     * 16-bit samples as shorts. Little endian with the value in the low bits (nearly every file):
     * one pass that loads, masks or sign-extends and stores, which C2 (JDK 17) vectorises (about
     * 0.1 ns a sample, as fast as a plain copy). Otherwise one bulk copy (an intrinsic,
     * byte-swapping for big endian), then the shifts in place.
     */
    private static short[] decode16(byte[] d, int base, boolean bigEndian, int n, int lsh, int rsh, boolean signed,
            short[] out) {
        int bitsStored = 32 - rsh;
        boolean lowAligned = 31 - lsh == bitsStored - 1;
        if (!bigEndian && lowAligned && bitsStored < 16) {
            // Written as C2 vectorises it: an int mask and a plain assignment ("out[i] &= (short) m"
            // stays scalar, about 4x slower); sign extension as (v ^ s) - s, without shifts.
            int mask = (1 << bitsStored) - 1;
            int signBit = signed ? 1 << (bitsStored - 1) : 0;
            for (int i = 0; i < n; i++) {
                out[i] = (short) ((((short) SHORT_LE.get(d, base + 2 * i) & mask) ^ signBit) - signBit);
            }
            return out;
        }
        ByteBuffer.wrap(d, base, 2 * n).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
                .asShortBuffer().get(out);
        shift16(out, 0, n, lsh, rsh, signed);
        return out;
    }

    /** Masks (or shifts) 16-bit samples in place to their stored bits, sign-extending when signed. */
    private static void shift16(short[] out, int from, int to, int lsh, int rsh, boolean signed) {
        int bitsStored = 32 - rsh;
        boolean lowAligned = 31 - lsh == bitsStored - 1;
        if (bitsStored == 16) {
            return; // HighBit is 15: every bit is the value
        }
        if (lowAligned) {
            int mask = (1 << bitsStored) - 1;
            int signBit = signed ? 1 << (bitsStored - 1) : 0;
            for (int i = from; i < to; i++) {
                out[i] = (short) (((out[i] & mask) ^ signBit) - signBit);
            }
        } else if (signed) { // values above bit 0 (HighBit > BitsStored - 1): rare
            for (int i = from; i < to; i++) {
                out[i] = (short) ((out[i] << lsh) >> rsh);
            }
        } else {
            for (int i = from; i < to; i++) {
                out[i] = (short) ((out[i] << lsh) >>> rsh);
            }
        }
    }

    private static void unsigned16Le(byte[] d, int base, int n, int mask, int[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = (short) SHORT_LE.get(d, base + 2 * i) & mask;
        }
    }

    private static void unsigned16Be(byte[] d, int base, int n, int mask, int[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = (short) SHORT_BE.get(d, base + 2 * i) & mask;
        }
    }

    private static void decode32(byte[] d, long start, boolean bigEndian, int n, int lsh, int rsh, boolean signed,
            int[] out) {
        int base = (int) start;
        for (int i = 0; i < n; i++) {
            int p = base + 4 * i;
            int raw = bigEndian
                    ? ((short) SHORT_BE.get(d, p) & 0xFFFF) | ((short) SHORT_BE.get(d, p + 2) << 16)
                    : (int) INT_LE.get(d, p);
            int v = raw << lsh;
            out[i] = signed ? v >> rsh : v >>> rsh;
        }
    }

    /** R..R G..G B..B to R G B R G B. */
    private static int[] interleave(int[] planes, int pixels) {
        int[] out = new int[planes.length];
        for (int c = 0; c < 3; c++) {
            int from = c * pixels;
            for (int i = 0; i < pixels; i++) {
                out[3 * i + c] = planes[from + i];
            }
        }
        return out;
    }

    /** Y0 Y1 Cb Cr per pair of pixels to Y Cb Cr per pixel. */
    private static int[] expand422(int[] src, int pixels) {
        int[] out = new int[pixels * 3];
        for (int pair = 0, s = 0, o = 0; pair < pixels / 2; pair++, s += 4, o += 6) {
            int cb = src[s + 2];
            int cr = src[s + 3];
            out[o] = src[s];
            out[o + 1] = cb;
            out[o + 2] = cr;
            out[o + 3] = src[s + 1];
            out[o + 4] = cb;
            out[o + 5] = cr;
        }
        return out;
    }
}
