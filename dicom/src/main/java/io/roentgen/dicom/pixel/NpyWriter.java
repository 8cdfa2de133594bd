package io.roentgen.dicom.pixel;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Writes NumPy {@code .npy} files (format 1.0, or 2.0 when the header would exceed 65535 bytes),
 * little endian, C order, the data starting at a multiple of 64 bytes.
 *
 * <p>Stored values: shape {@code (frames, rows, columns)}, or {@code (frames, rows, columns, 3)}
 * for colour (samples interleaved, as stored); dtype from BitsAllocated and PixelRepresentation:
 * {@code |u1 |i1 <u2 <i2 <u4 <i4}, BitsAllocated 1 as {@code |u1} of 0/1. Modality values (e.g.
 * Hounsfield units) as {@code <f4}.
 *
 * <p>For large series, stream: {@link #writeHeader} once, then {@link #writeSamples} per frame.
 */
public final class NpyWriter {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int CHUNK = 1 << 16;

    private NpyWriter() {}

    /** The dtype descr of a frame's stored values, e.g. {@code <u2}. */
    public static String dtype(Frame frame) {
        boolean s = frame.signed();
        return switch (frame.bitsAllocated()) {
            case 1 -> "|u1";
            case 8 -> s ? "|i1" : "|u1";
            case 16 -> s ? "<i2" : "<u2";
            default -> s ? "<i4" : "<u4";
        };
    }

    /** The shape of {@code frames} frames like {@code frame}. */
    public static long[] shape(Frame frame, int frames) {
        return frame.samplesPerPixel() == 1
                ? new long[] {frames, frame.rows(), frame.columns()}
                : new long[] {frames, frame.rows(), frame.columns(), frame.samplesPerPixel()};
    }

    /** Writes the stored values of the frames (all of one geometry) to {@code file}. */
    public static void writeStored(Path file, List<Frame> frames) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), CHUNK)) {
            writeStored(out, frames);
        }
    }

    /** Writes the stored values of the frames (all of one geometry); does not close {@code out}. */
    public static void writeStored(OutputStream out, List<Frame> frames) throws IOException {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("no frames to write");
        }
        Frame first = frames.get(0);
        for (Frame f : frames) {
            if (f.rows() != first.rows() || f.columns() != first.columns()
                    || f.samplesPerPixel() != first.samplesPerPixel() || !dtype(f).equals(dtype(first))) {
                throw new IllegalArgumentException("frames differ in geometry or dtype: " + first + " and " + f);
            }
        }
        writeHeader(out, dtype(first), shape(first, frames.size()));
        for (Frame f : frames) {
            writeSamples(out, f);
        }
    }

    /** Writes float32 values of the given shape (C order) to {@code file}. */
    public static void writeFloat32(Path file, float[] data, long... shape) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), CHUNK)) {
            writeFloat32(out, data, shape);
        }
    }

    /** Writes float32 values of the given shape (C order); does not close {@code out}. */
    public static void writeFloat32(OutputStream out, float[] data, long... shape) throws IOException {
        checkCount(shape, data.length);
        writeHeader(out, "<f4", shape);
        writeFloats(out, data);
    }

    /**
     * Writes the magic, version and header of an array; the caller then writes exactly
     * {@code product(shape)} values of {@code descr}, little endian.
     *
     * @param descr a little-endian or byte dtype, e.g. {@code <u2}, {@code |u1}, {@code <f4}
     */
    public static void writeHeader(OutputStream out, String descr, long... shape) throws IOException {
        Objects.requireNonNull(descr, "descr");
        StringBuilder sb = new StringBuilder("{'descr': '").append(descr)
                .append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("negative dimension in shape");
            }
            sb.append(shape[i]).append(shape.length == 1 || i < shape.length - 1 ? "," : "");
            if (i < shape.length - 1) {
                sb.append(' ');
            }
        }
        sb.append("), }");
        int version = 1;
        int prefix = MAGIC.length + 2 + 2;
        int total = align(prefix + sb.length() + 1);
        if (total - prefix > 0xFFFF) {
            version = 2;
            prefix = MAGIC.length + 2 + 4;
            total = align(prefix + sb.length() + 1);
        }
        int headerLen = total - prefix;
        while (sb.length() < headerLen - 1) {
            sb.append(' ');
        }
        sb.append('\n');
        ByteBuffer b = ByteBuffer.allocate(prefix).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) version).put((byte) 0);
        if (version == 1) {
            b.putShort((short) headerLen);
        } else {
            b.putInt(headerLen);
        }
        out.write(b.array());
        out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes the stored values of one frame in the width {@link #dtype(Frame)} says. */
    public static void writeSamples(OutputStream out, Frame frame) throws IOException {
        short[] shorts = frame.shortSamples();
        if (shorts != null && frame.bitsAllocated() == 16) { // bulk little endian copies, no widening first
            byte[] buf = new byte[CHUNK * 2];
            ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
            for (int from = 0; from < shorts.length; from += CHUNK) {
                int n = Math.min(CHUNK, shorts.length - from);
                bb.asShortBuffer().put(shorts, from, n);
                out.write(buf, 0, n * 2);
            }
            return;
        }
        int[] s = frame.samples();
        int width = frame.bitsAllocated() <= 8 ? 1 : frame.bitsAllocated() / 8;
        byte[] buf = new byte[CHUNK * width];
        ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < s.length; from += CHUNK) {
            int n = Math.min(CHUNK, s.length - from);
            switch (width) {
                case 1 -> {
                    for (int i = 0; i < n; i++) {
                        buf[i] = (byte) s[from + i];
                    }
                }
                case 2 -> {
                    for (int i = 0; i < n; i++) {
                        bb.putShort(2 * i, (short) s[from + i]);
                    }
                }
                default -> bb.asIntBuffer().put(s, from, n);
            }
            out.write(buf, 0, n * width);
        }
    }

    /** Writes float32 values, little endian. */
    public static void writeFloats(OutputStream out, float[] data) throws IOException {
        byte[] buf = new byte[CHUNK * 4];
        ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < data.length; from += CHUNK) {
            int n = Math.min(CHUNK, data.length - from);
            bb.clear();
            bb.asFloatBuffer().put(data, from, n);
            out.write(buf, 0, n * 4);
        }
    }

    private static void checkCount(long[] shape, long count) {
        long product = 1;
        for (long d : shape) {
            product = Math.multiplyExact(product, d);
        }
        if (product != count) {
            throw new IllegalArgumentException("shape holds " + product + " values, data has " + count);
        }
    }

    private static int align(int n) {
        return (n + 63) / 64 * 64;
    }
}
