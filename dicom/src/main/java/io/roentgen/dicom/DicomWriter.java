package io.roentgen.dicom;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes DICOM Part 10 files: 128-byte zero preamble, "DICM", File Meta Information (group
 * length, version 00\01, Media Storage SOP Class/Instance UID from the data set's SOP Class and
 * Instance UID, Transfer Syntax UID, Roentgen's Implementation Class UID and Version Name), then
 * the data set in Implicit VR Little Endian, Explicit VR Little Endian, Explicit VR Big Endian,
 * Deflated Explicit VR Little Endian, or, for a data set holding encapsulated Pixel Data, the
 * compressed syntax it is encoded in (Explicit VR Little Endian with OB fragments).
 *
 * <p>Values are padded to even length (space for text, NUL for UI and binary), group lengths
 * (gggg,0000) are left out, values read from big endian files are swapped as needed. Sequences
 * and items are written with undefined length unless {@link Builder#definedLengthSequences(boolean)}.
 * Instances are immutable and thread-safe.
 */
public final class DicomWriter {
    private final TransferSyntax transferSyntax;
    private final boolean definedLengths;
    private final int deflateLevel;
    private final String sourceAeTitle;

    private DicomWriter(Builder b) {
        this.transferSyntax = b.transferSyntax;
        this.definedLengths = b.definedLengths;
        this.deflateLevel = b.deflateLevel;
        this.sourceAeTitle = b.sourceAeTitle;
    }

    /** A writer for Explicit VR Little Endian with undefined-length sequences. */
    public static DicomWriter explicitLittleEndian() {
        return builder().build();
    }

    /** A writer for this transfer syntax with default options. */
    public static DicomWriter of(TransferSyntax ts) {
        return builder().transferSyntax(ts).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public TransferSyntax transferSyntax() {
        return transferSyntax;
    }

    public static final class Builder {
        private TransferSyntax transferSyntax = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
        private boolean definedLengths;
        private int deflateLevel = Deflater.DEFAULT_COMPRESSION;
        private String sourceAeTitle;

        private Builder() {}

        /**
         * Implicit VR LE, Explicit VR LE, Explicit VR BE, Deflated Explicit VR LE, or an encapsulated
         * syntax (for data sets with encapsulated Pixel Data). Default Explicit VR Little Endian.
         */
        public Builder transferSyntax(TransferSyntax ts) {
            if (!ts.isNative() && !ts.isEncapsulated() || ts.isPixelDataReferenced() || ts.isDeflated() && ts.isEncapsulated()) {
                throw new IllegalArgumentException("cannot write transfer syntax " + ts);
            }
            if (ts.isKnown() && !ts.isExplicitVR() && ts != TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN) {
                throw new IllegalArgumentException("cannot write transfer syntax " + ts);
            }
            this.transferSyntax = ts;
            return this;
        }

        /** Sequences and items with defined lengths instead of delimiters (default false). */
        public Builder definedLengthSequences(boolean defined) {
            this.definedLengths = defined;
            return this;
        }

        /** Deflate level 0-9 for the deflated syntax (default: zlib's default). */
        public Builder deflateLevel(int level) {
            this.deflateLevel = level;
            return this;
        }

        /** Source Application Entity Title (0002,0016) to record in the File Meta Information. */
        public Builder sourceApplicationEntityTitle(String aeTitle) {
            this.sourceAeTitle = aeTitle;
            return this;
        }

        public DicomWriter build() {
            return new DicomWriter(this);
        }
    }

    // ------------------------------------------------------------------ entry points

    /**
     * Writes a Part 10 file to the stream (not closed).
     *
     * @throws IllegalArgumentException when the data set lacks SOP Class/Instance UID, or its pixel
     *     data do not fit the transfer syntax (encapsulated in a native syntax or the reverse)
     */
    public void write(DicomObject dataset, OutputStream out) throws IOException {
        OutputSink sink = new OutputSink(out);
        writePart10(dataset, sink);
        sink.flush();
    }

    /**
     * Writes a Part 10 file. Through a file channel, so that Pixel Data still held as a view of
     * its mapped source file is copied by the kernel from that file ({@link OutputSink}). The
     * target must not be that source file: opening it truncates it.
     */
    public void write(DicomObject dataset, Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            OutputSink sink = new OutputSink(channel);
            writePart10(dataset, sink);
            sink.flush();
        }
    }

    private void writePart10(DicomObject dataset, OutputSink out) throws IOException {
        String sopClass = dataset.getString(Tag.SOPClassUID);
        String sopInstance = dataset.getString(Tag.SOPInstanceUID);
        if (sopClass == null || sopInstance == null) {
            throw new IllegalArgumentException("the data set needs SOP Class UID (0008,0016) and SOP Instance UID "
                    + "(0008,0018) for the File Meta Information");
        }
        checkPixelData(dataset);
        out.write(new byte[128]);
        out.write(new byte[] {'D', 'I', 'C', 'M'});
        out.write(fileMeta(sopClass, sopInstance));
        writeBody(dataset, out);
    }

    /**
     * The preamble, "DICM" and File Meta Information of a Part 10 file in this writer's transfer
     * syntax: what precedes a data set that arrives already encoded (a C-STORE streamed to disk).
     */
    public byte[] part10Header(String sopClass, String sopInstance) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[128]);
            out.write(new byte[] {'D', 'I', 'C', 'M'});
            out.write(fileMeta(sopClass, sopInstance));
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Part 10 file in memory. */
    public byte[] toByteArray(DicomObject dataset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(dataset, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Writes only the data set, without preamble and File Meta Information (deflated for the
     * deflated syntax), as DIMSE and some stores exchange it; SOP UIDs are not required.
     */
    public void writeDataSet(DicomObject dataset, OutputStream out) throws IOException {
        checkPixelData(dataset);
        OutputSink sink = new OutputSink(out);
        writeBody(dataset, sink);
        sink.flush();
    }

    private void checkPixelData(DicomObject dataset) {
        boolean encapsulated = dataset.hasEncapsulatedPixelData();
        if (encapsulated && transferSyntax.isNative()) {
            throw new IllegalArgumentException("the data set holds encapsulated Pixel Data; write it with a compressed "
                    + "transfer syntax (it was read as " + dataset.transferSyntax() + "), not " + transferSyntax);
        }
        if (!encapsulated && dataset.contains(Tag.PixelData) && transferSyntax.isEncapsulated()) {
            throw new IllegalArgumentException("the data set holds native Pixel Data; " + transferSyntax
                    + " needs encapsulated Pixel Data (putEncapsulatedPixelData)");
        }
    }

    private void writeBody(DicomObject dataset, OutputStream out) throws IOException {
        boolean explicit = transferSyntax.isExplicitVR();
        boolean bigEndian = transferSyntax.isBigEndian();
        if (transferSyntax.isDeflated()) {
            CountingOutputStream counted = new CountingOutputStream(out);
            Deflater deflater = new Deflater(deflateLevel, true);
            try {
                DeflaterOutputStream deflating = new DeflaterOutputStream(counted, deflater, 1 << 16);
                Encoder enc = new Encoder(new OutputSink(deflating), true, false);
                enc.dataSet(dataset, true);
                enc.out.flush();
                deflating.finish();
            } finally {
                deflater.end();
            }
            if ((counted.count & 1) == 1) {
                out.write(0); // PS3.5 A.5: pad an odd-length deflated stream
            }
        } else {
            new Encoder(out, explicit, bigEndian).dataSet(dataset, true);
        }
    }

    private byte[] fileMeta(String sopClass, String sopInstance) throws IOException {
        DicomObject meta = new DicomObject();
        meta.putBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.putString(Tag.MediaStorageSOPClassUID, VR.UI, sopClass);
        meta.putString(Tag.MediaStorageSOPInstanceUID, VR.UI, sopInstance);
        meta.putString(Tag.TransferSyntaxUID, VR.UI, transferSyntax.uid());
        meta.putString(Tag.ImplementationClassUID, VR.UI, Uids.IMPLEMENTATION_CLASS_UID);
        meta.putString(Tag.ImplementationVersionName, VR.SH, Uids.IMPLEMENTATION_VERSION_NAME);
        if (sourceAeTitle != null && !sourceAeTitle.isBlank()) {
            meta.putString(Tag.SourceApplicationEntityTitle, VR.AE, sourceAeTitle);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Encoder enc = new Encoder(body, true, false);
        enc.metaGroup = true;
        enc.dataSet(meta, false);
        enc.out.flush();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        Encoder head = new Encoder(all, true, false);
        head.header(Tag.FileMetaInformationGroupLength, VR.UL, 4);
        head.u32(body.size());
        head.out.flush();
        all.write(body.toByteArray());
        return all.toByteArray();
    }

    // ------------------------------------------------------------------ encoding

    private final class Encoder {
        final OutputStream out;
        final boolean explicit;
        final boolean bigEndian;
        final byte[] scratch = new byte[12];
        boolean metaGroup;
        int definedDepth;

        Encoder(OutputStream out, boolean explicit, boolean bigEndian) {
            this.out = out;
            this.explicit = explicit;
            this.bigEndian = bigEndian;
        }

        void dataSet(DicomObject obj, boolean topLevel) throws IOException {
            for (int i = 0, n = obj.size(); i < n; i++) {
                int tag = obj.tagAt(i);
                if (Tag.isGroupLength(tag) || (topLevel && Tag.group(tag) == 0x0002 && !metaGroup)) {
                    continue;
                }
                element(obj, i);
            }
        }

        void element(DicomObject obj, int i) throws IOException {
            int tag = obj.tagAt(i);
            VR vr = obj.vrAt(i);
            Object v = obj.valueAt(i);
            if (v instanceof List) {
                sequence(tag, obj.values().itemsAt(i));
                return;
            }
            if (v instanceof EncapsulatedPixelData) {
                if (!explicit) {
                    throw new IllegalArgumentException("encapsulated Pixel Data cannot be written in Implicit VR");
                }
                fragments(tag, (EncapsulatedPixelData) v);
                return;
            }
            int unit = vr.bytesPerValue();
            if (v instanceof FileBytes.Mapped mapped && out instanceof OutputSink sink && (obj.isBigEndian() == bigEndian || unit == 1)) {
                mappedValue(tag, vr, mapped, sink);
                return;
            }
            byte[] array = obj.values().rawArray(i);
            int off = obj.values().rawOffset(i);
            int len = obj.values().rawLength(i);
            if (array == null) {
                array = new byte[0];
                off = 0;
                len = 0;
            }
            if (obj.isBigEndian() != bigEndian && unit > 1 && len > 0) {
                array = Arrays.copyOfRange(array, off, off + len);
                off = 0;
                Bytes.swap(array, 0, len, unit);
            }
            valueHeader(tag, vr, len);
            out.write(array, off, len);
            if ((len & 1) == 1) {
                out.write(vr.paddingByte());
            }
        }

        /** A value that is a view of a mapped file, written without a copy into an array (from its file, or from the mapping). */
        private void mappedValue(int tag, VR vr, FileBytes.Mapped mapped, OutputSink sink) throws IOException {
            int len = mapped.bytes().remaining();
            valueHeader(tag, vr, len);
            sink.write(mapped);
            if ((len & 1) == 1) {
                sink.write(vr.paddingByte());
            }
        }

        /** The element header for a value of {@code len} bytes, padded to even length. */
        private void valueHeader(int tag, VR vr, long len) throws IOException {
            long padded = len + (len & 1);
            if (padded > 0xFFFFFFFEL) {
                throw new IllegalArgumentException(Tag.toString(tag) + " value of " + len + " bytes is too long for DICOM");
            }
            VR written = vr;
            if (explicit && !vr.hasLongLength() && padded > 0xFFFF) {
                written = VR.UN; // as dcmtk does: a short-length VR cannot hold it
            }
            header(tag, written, padded);
        }

        void sequence(int tag, List<DicomObject> items) throws IOException {
            // In implicit VR a reader knows a sequence only from its dictionary; one it does not
            // know (private) is written with defined lengths, so it can be kept as UN bytes.
            boolean forced = !definedLengths && definedDepth == 0 && !explicit && DataDictionary.vr(tag) != VR.SQ;
            if (definedLengths || definedDepth > 0 || forced) {
                definedDepth++;
                try {
                    header(tag, VR.SQ, sequenceLength(items));
                    for (DicomObject item : items) {
                        itemHeader(Tag.Item, dataSetLength(item));
                        dataSet(item, false);
                    }
                } finally {
                    definedDepth--;
                }
            } else {
                header(tag, VR.SQ, 0xFFFFFFFFL);
                for (DicomObject item : items) {
                    itemHeader(Tag.Item, 0xFFFFFFFFL);
                    dataSet(item, false);
                    itemHeader(Tag.ItemDelimitationItem, 0);
                }
                itemHeader(Tag.SequenceDelimitationItem, 0);
            }
        }

        void fragments(int tag, EncapsulatedPixelData e) throws IOException {
            header(tag, VR.OB, 0xFFFFFFFFL);
            long[] bot = e.basicOffsetTable();
            itemHeader(Tag.Item, 4L * bot.length);
            for (long o : bot) {
                u32((int) o);
            }
            for (int f = 0; f < e.fragmentCount(); f++) {
                byte[] b = e.fragment(f);
                itemHeader(Tag.Item, b.length + (b.length & 1));
                out.write(b);
                if ((b.length & 1) == 1) {
                    out.write(0);
                }
            }
            itemHeader(Tag.SequenceDelimitationItem, 0);
        }

        long sequenceLength(List<DicomObject> items) {
            long total = 0;
            for (DicomObject item : items) {
                total += 8 + dataSetLength(item);
            }
            return checkLength(total);
        }

        long dataSetLength(DicomObject obj) {
            long total = 0;
            for (int i = 0, n = obj.size(); i < n; i++) {
                int tag = obj.tagAt(i);
                if (Tag.isGroupLength(tag)) {
                    continue;
                }
                VR vr = obj.vrAt(i);
                Object v = obj.valueAt(i);
                if (v instanceof List) {
                    total += (explicit ? 12 : 8) + sequenceLength(obj.values().itemsAt(i));
                } else if (v instanceof EncapsulatedPixelData) {
                    EncapsulatedPixelData e = (EncapsulatedPixelData) v;
                    total += 12 + 8 + 4L * e.basicOffsetTable().length + 8;
                    for (int f = 0; f < e.fragmentCount(); f++) {
                        int l = e.fragmentLength(f);
                        total += 8 + l + (l & 1);
                    }
                } else {
                    long len = obj.values().rawLength(i);
                    len += len & 1;
                    boolean longHeader = !explicit || vr.hasLongLength() || len > 0xFFFF;
                    total += (explicit ? (longHeader ? 12 : 8) : 8) + len;
                }
            }
            return checkLength(total);
        }

        private long checkLength(long total) {
            if (total >= 0xFFFFFFFFL) {
                throw new IllegalArgumentException("sequence too long for a defined length; write undefined lengths");
            }
            return total;
        }

        void header(int tag, VR vr, long length) throws IOException {
            Bytes.put16(scratch, 0, tag >>> 16, bigEndian);
            Bytes.put16(scratch, 2, tag, bigEndian);
            if (!explicit) {
                Bytes.put32(scratch, 4, (int) length, bigEndian);
                out.write(scratch, 0, 8);
            } else if (vr.hasLongLength()) {
                scratch[4] = (byte) vr.name().charAt(0);
                scratch[5] = (byte) vr.name().charAt(1);
                scratch[6] = 0;
                scratch[7] = 0;
                Bytes.put32(scratch, 8, (int) length, bigEndian);
                out.write(scratch, 0, 12);
            } else {
                scratch[4] = (byte) vr.name().charAt(0);
                scratch[5] = (byte) vr.name().charAt(1);
                Bytes.put16(scratch, 6, (int) length, bigEndian);
                out.write(scratch, 0, 8);
            }
        }

        void itemHeader(int tag, long length) throws IOException {
            Bytes.put16(scratch, 0, tag >>> 16, bigEndian);
            Bytes.put16(scratch, 2, tag, bigEndian);
            Bytes.put32(scratch, 4, (int) length, bigEndian);
            out.write(scratch, 0, 8);
        }

        void u32(int v) throws IOException {
            Bytes.put32(scratch, 0, v, bigEndian);
            out.write(scratch, 0, 4);
        }
    }

    private static final class CountingOutputStream extends FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
