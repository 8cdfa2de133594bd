package io.roentgen.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads DICOM Part 10 files (128-byte preamble, "DICM", File Meta Information) and bare data sets
 * (no preamble or meta; implicit or explicit VR, either byte order, detected from the first
 * element) from a file, a byte array or a stream.
 *
 * <p>A file is read with one bulk read and parsed in place: values, the Pixel Data above all,
 * stay views of that buffer; a large file is memory-mapped instead, and its Pixel Data stays a
 * view of the mapping. With {@link Builder#stopBeforePixelData(boolean)} a file or stream
 * is read in small chunks and reading stops at the Pixel Data tag: its bytes are never read.
 *
 * <p>The reader faces the network: every length is checked against the bytes there are before it
 * is used, buffers only grow as bytes arrive, nesting depth, item count, input size and inflated
 * size are capped; anything malformed ends in a {@link DicomException} that says what, where
 * (tag, byte offset) and never quotes patient data. Instances are immutable and thread-safe.
 */
public final class DicomReader {
    private static final DicomReader DEFAULTS = builder().build();

    private final boolean stopBeforePixelData;
    private final Limits limits;
    private final MemoryGate memoryGate;

    private DicomReader(Builder b) {
        this.stopBeforePixelData = b.stopBeforePixelData;
        this.limits = new Limits(b.maxDepth, b.maxItems, b.maxBytes, b.maxValueLength, b.maxInflatedBytes,
                b.maxInflateRatio);
        this.memoryGate = b.memoryGate;
    }

    /** A reader with the default options: whole files, limits as in {@link Builder}. */
    public static DicomReader defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this reader's options. */
    public Builder toBuilder() {
        return new Builder().stopBeforePixelData(stopBeforePixelData).limits(limits).memoryGate(memoryGate);
    }

    public boolean stopBeforePixelData() {
        return stopBeforePixelData;
    }

    /** All the limits of this reader. */
    public Limits limits() {
        return limits;
    }

    public int maxDepth() {
        return limits.maxDepth();
    }

    public int maxItems() {
        return limits.maxItems();
    }

    public long maxBytes() {
        return limits.maxBytes();
    }

    public long maxValueLength() {
        return limits.maxValueLength();
    }

    public long maxInflatedBytes() {
        return limits.maxInflatedBytes();
    }

    public int maxInflateRatio() {
        return limits.maxInflateRatio();
    }

    /** Options; every limit ends a read with a {@link DicomException} that names it. */
    public static final class Builder {
        private boolean stopBeforePixelData;
        private int maxDepth = Limits.DEFAULTS.maxDepth();
        private int maxItems = Limits.DEFAULTS.maxItems();
        private long maxBytes = Limits.DEFAULTS.maxBytes();
        private long maxValueLength = Limits.DEFAULTS.maxValueLength();
        private long maxInflatedBytes = Limits.DEFAULTS.maxInflatedBytes();
        private int maxInflateRatio = Limits.DEFAULTS.maxInflateRatio();
        private MemoryGate memoryGate = MemoryGate.UNLIMITED;

        private Builder() {}

        /**
         * Asked before every buffer the read allocates as bytes arrive (streamed input, inflated
         * data sets); its refusal ends the read with {@link MemoryExhaustedException}. An array
         * given to {@link #read(byte[])} is the caller's and is not counted.
         */
        public Builder memoryGate(MemoryGate gate) {
            this.memoryGate = java.util.Objects.requireNonNull(gate);
            return this;
        }

        /** Stop at the top-level Pixel Data (7FE0,0010/0008/0009) without reading its bytes (default false). */
        public Builder stopBeforePixelData(boolean stop) {
            this.stopBeforePixelData = stop;
            return this;
        }

        /** All limits at once (see {@link Limits}). */
        public Builder limits(Limits limits) {
            this.maxDepth = limits.maxDepth();
            this.maxItems = limits.maxItems();
            this.maxBytes = limits.maxBytes();
            this.maxValueLength = limits.maxValueLength();
            this.maxInflatedBytes = limits.maxInflatedBytes();
            this.maxInflateRatio = limits.maxInflateRatio();
            return this;
        }

        /** Deepest sequence nesting accepted (default 64). */
        public Builder maxDepth(int depth) {
            if (depth < 1) {
                throw new IllegalArgumentException("maxDepth must be at least 1");
            }
            this.maxDepth = depth;
            return this;
        }

        /** Most sequence items in one data set, all levels together (default 1,000,000). */
        public Builder maxItems(int items) {
            this.maxItems = items;
            return this;
        }

        /** Largest input (file, stream, inflated data set) in bytes, at most about 2 GiB (the default). */
        public Builder maxBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxBytes must be positive");
            }
            this.maxBytes = Math.min(bytes, Limits.MAX_ARRAY);
            return this;
        }

        /**
         * Largest defined length of one element value or pixel data fragment (default: no limit
         * below {@link #maxBytes}); refused from the header, before the value is read.
         */
        public Builder maxValueLength(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxValueLength must not be negative");
            }
            this.maxValueLength = bytes;
            return this;
        }

        /** Largest inflated data set of a deflated transfer syntax (default 1 GiB). */
        public Builder maxInflatedBytes(long bytes) {
            this.maxInflatedBytes = bytes;
            return this;
        }

        /**
         * Largest inflated-to-deflated size ratio (default 64), against deflate bombs; the first
         * 16 MiB inflated are allowed whatever the ratio.
         */
        public Builder maxInflateRatio(int ratio) {
            this.maxInflateRatio = ratio;
            return this;
        }

        public DicomReader build() {
            return new DicomReader(this);
        }
    }

    // ------------------------------------------------------------------ entry points

    /**
     * Reads a file: a chunked read that stops before Pixel Data with {@link Builder#stopBeforePixelData};
     * else, for a large file whose native Pixel Data is its last element, the header is parsed
     * from a memory mapping of the file and the Pixel Data stays a view of that mapping (the page
     * cache: no copy, see {@link NativePixelData}); else one bulk read into an array.
     */
    public DicomObject read(Path file) throws IOException, DicomException {
        if (stopBeforePixelData) {
            try (InputStream in = Files.newInputStream(file)) {
                return read(in, 8192);
            }
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size >= FileBytes.VIEW_THRESHOLD && size <= limits.maxBytes() && FileBytes.mayKeepView()) {
                MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
                Object fileKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
                DicomObject ds = readMapped(file, fileKey, mapped);
                if (ds != null) {
                    FileBytes.keepView(mapped);
                    return ds;
                }
                FileBytes.unmap(mapped); // nothing refers to it: the parse only copied header bytes out
            }
            return read(FileBytes.read(channel, file, limits.maxBytes()));
        }
    }

    /** The data set with its Pixel Data a view of {@code mapped}, or null when the file needs the array path. */
    private DicomObject readMapped(Path file, Object fileKey, MappedByteBuffer mapped) throws IOException, DicomException {
        ByteSource src = new ByteSource(FileBytes.filler(mapped), mapped.capacity(), 8192, "");
        try {
            return parse(src, null, new FileBytes.Mapped(mapped, file, fileKey, mapped.capacity()));
        } catch (InternalError e) {
            // A page fault past the end: the file was truncated under us.
            throw new IOException(file + ": file changed while being read", e);
        }
    }

    /**
     * Parses an array in place: the array is not copied, so the returned object's values are views
     * of it; do not modify it afterwards.
     */
    public DicomObject read(byte[] data) throws DicomException {
        if (data.length > limits.maxBytes()) {
            throw new DicomException("input is " + data.length + " bytes, larger than the reader's limit of "
                    + limits.maxBytes() + " bytes");
        }
        try {
            return parse(new ByteSource(data), null, null);
        } catch (IOException e) {
            throw new DicomException("cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a stream (an HTTP body) to its end, or to Pixel Data with {@link Builder#stopBeforePixelData}.
     * The stream is not closed. Buffers grow as bytes arrive, never from a length field.
     *
     * @throws IOException when the stream fails (a short stream is a {@link DicomException})
     */
    public DicomObject read(InputStream in) throws IOException, DicomException {
        return read(in, stopBeforePixelData ? 8192 : 1 << 16);
    }

    private DicomObject read(InputStream in, int readAhead) throws IOException, DicomException {
        ByteSource src = new ByteSource(in::read, limits.maxBytes(), readAhead, "", memoryGate);
        return parse(src, in, null);
    }

    // ------------------------------------------------------------------ the parse

    /**
     * The parse. With {@code mapped} (the whole file, which {@code src} reads in chunks) it stops
     * at the top-level Pixel Data and attaches it as a view of the mapping; it returns null when
     * that cannot be done (deflated, encapsulated, elements after Pixel Data, anything unusual):
     * the caller then parses an array of the whole file, which also reports any error in full.
     */
    private DicomObject parse(ByteSource src, InputStream stream, FileBytes.Mapped mapped) throws IOException, DicomException {
        Inflater inflater = null;
        try {
            int pos = 0;
            DicomObject meta = null;
            if (src.has(0, 132) && src.buf[128] == 'D' && src.buf[129] == 'I' && src.buf[130] == 'C' && src.buf[131] == 'M') {
                pos = 132;
            }
            if (src.has(pos, 8) && src.u16(pos, false) == 0x0002 && src.u16(pos + 2, false) <= 0x0100) {
                ParseResult metaParse = DicomParser.parseMeta(src, limits, pos);
                meta = metaParse.dataset();
                pos = metaParse.end();
            } else if (pos == 132) {
                throw new DicomException("Part 10 file without File Meta Information after DICM at offset 132");
            }
            TransferSyntax ts = null;
            if (meta != null) {
                String uid = meta.getString(Tag.TransferSyntaxUID);
                if (uid != null) {
                    ts = TransferSyntax.of(uid);
                }
            }
            ByteSource data = src;
            int dataPos = pos;
            if (ts != null && ts.isDeflated()) {
                if (mapped != null) {
                    return null;
                }
                inflater = new Inflater(true);
                data = inflatingSource(src, pos, stream, inflater);
                dataPos = 0;
            }
            boolean[] encoding = detectEncoding(data, dataPos, ts);
            boolean bigEndian = encoding[0];
            boolean explicit = encoding[1];
            if (ts == null) {
                ts = !explicit ? TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN
                        : bigEndian ? TransferSyntax.EXPLICIT_VR_BIG_ENDIAN : TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
            }
            DicomParser parser = new DicomParser(data, limits, bigEndian, explicit, stopBeforePixelData || mapped != null);
            ParseResult parsed = parser.parseTop(dataPos);
            DicomObject ds = parsed.dataset();
            if (mapped != null && (!parsed.stoppedBeforePixelData()
                    || !attachMappedPixelData(ds, data, (int) parsed.pixelDataPosition(), explicit, bigEndian, mapped))) {
                return null;
            }
            // A mapped read stopped only to attach Pixel Data itself: the data set is whole.
            ds.setReadFacts(meta, ts, parsed.pixelDataPosition(), parsed.stoppedBeforePixelData() && mapped == null);
            data.finish();
            src.finish();
            return ds;
        } catch (RuntimeException e) {
            // A bug, not the input's fault: still a DicomException for the caller, with the cause kept.
            throw new DicomException("malformed input (" + e + ")", e);
        } finally {
            if (inflater != null) {
                inflater.end();
            }
        }
    }

    /**
     * Adds the native Pixel Data (7FE0,0010) element at {@code pos} as a view of {@code mapped};
     * false when it is not one whose value ends the file exactly (what follows, if anything,
     * would need the full parse).
     */
    private static boolean attachMappedPixelData(DicomObject ds, ByteSource src, int pos, boolean explicit,
            boolean bigEndian, FileBytes.Mapped mapped) throws IOException, DicomException {
        if (!src.has(pos, 12) || src.tag(pos, bigEndian) != Tag.PixelData) {
            return false;
        }
        VR vr = VR.OW; // what the parser gives Pixel Data in implicit VR
        long length = src.u32(pos + 4, bigEndian);
        int header = 8;
        if (explicit) {
            vr = VR.ofCode(src.u8(pos + 4) << 8 | src.u8(pos + 5));
            if (vr != VR.OB && vr != VR.OW) {
                return false;
            }
            length = src.u32(pos + 8, bigEndian);
            header = 12;
        }
        long valuePos = pos + header;
        if (length == 0xFFFFFFFFL || valuePos + length != mapped.end()) {
            return false;
        }
        ByteBuffer value = mapped.bytes().slice((int) valuePos, (int) length).asReadOnlyBuffer();
        ds.addParsed(Tag.PixelData, vr, (int) valuePos, (int) length,
                new FileBytes.Mapped(value, mapped.file(), mapped.fileKey(), mapped.end()));
        ds.finishParse();
        return true;
    }

    /**
     * [bigEndian, explicitVR] of the data set at {@code pos}: as the transfer syntax says unless
     * the first element shows otherwise (files that declare one and are written in the other).
     */
    private static boolean[] detectEncoding(ByteSource src, int pos, TransferSyntax ts) throws IOException, DicomException {
        boolean bigEndian = ts != null && ts.isBigEndian();
        boolean explicit = ts == null || ts.isExplicitVR();
        if (!src.has(pos, 8)) {
            return new boolean[] {bigEndian, explicit};
        }
        int b0 = src.u8(pos);
        int b1 = src.u8(pos + 1);
        VR vr = VR.ofCode(src.u8(pos + 4) << 8 | src.u8(pos + 5));
        if (ts == null) {
            int le = b0 | b1 << 8;
            int be = b0 << 8 | b1;
            bigEndian = be < le;
            explicit = vr != null;
            if (bigEndian && !explicit) {
                bigEndian = false; // there is no implicit VR big endian
            }
            return new boolean[] {bigEndian, explicit};
        }
        if (explicit && vr == null) {
            return new boolean[] {false, false};
        }
        if (!explicit && vr != null) {
            int tag = src.tag(pos, false);
            VR expected = DataDictionary.vr(tag);
            if (expected == vr) {
                return new boolean[] {false, true};
            }
        }
        return new boolean[] {bigEndian, explicit};
    }

    /** The data set of a deflated syntax: raw deflate from {@code pos} on, inflated as it is parsed. */
    private ByteSource inflatingSource(ByteSource src, int pos, InputStream stream, Inflater inflater) {
        int buffered = Math.max(0, src.limit - pos);
        byte[] head = java.util.Arrays.copyOfRange(src.buf, pos, pos + buffered);
        boolean whole = stream == null;
        long compressedTotal = whole ? buffered : -1;
        inflater.setInput(head);
        byte[] chunk = whole ? null : new byte[1 << 16];
        ByteSource.Filler filler = (b, off, len) -> {
            while (true) {
                int n;
                try {
                    n = inflater.inflate(b, off, len);
                } catch (DataFormatException e) {
                    throw new DicomException("corrupt deflate stream in the data set at inflated offset "
                            + inflater.getBytesWritten() + ": " + e.getMessage());
                }
                long out = inflater.getBytesWritten();
                long in = whole ? compressedTotal : inflater.getBytesRead();
                if (out > limits.maxInflatedBytes()) {
                    throw new DicomException("deflated data set inflates past the reader's limit of "
                            + limits.maxInflatedBytes() + " bytes");
                }
                if (out > Limits.INFLATE_RATIO_ALLOWANCE && out > (long) limits.maxInflateRatio() * Math.max(1, in)) {
                    throw new DicomException("deflated data set inflates more than " + limits.maxInflateRatio()
                            + " times its compressed size (" + in + " bytes compressed, " + out
                            + " inflated so far): a deflate bomb, or raise maxInflateRatio");
                }
                if (n > 0) {
                    return n;
                }
                if (inflater.finished() || inflater.needsDictionary()) {
                    return -1;
                }
                if (inflater.needsInput()) {
                    if (whole) {
                        return -1; // truncated deflate stream: the parse reports what it missed
                    }
                    int r = stream.read(chunk);
                    if (r < 0) {
                        return -1;
                    }
                    inflater.setInput(chunk, 0, r);
                }
            }
        };
        return new ByteSource(filler, Math.min(limits.maxBytes(), limits.maxInflatedBytes()), 1 << 16, " of the inflated data set", memoryGate);
    }
}
