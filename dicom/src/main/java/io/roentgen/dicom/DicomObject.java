package io.roentgen.dicom;

import io.roentgen.dicom.ImageDescriptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.StringJoiner;

/**
 * A DICOM data set: elements ordered by tag, with typed getters, a put API for building data
 * sets, and views of the pixel data.
 *
 * <p>Parsed values stay as views (offset, length) of the bytes the reader parsed, in the byte
 * order of the transfer syntax; strings are decoded only when asked for, with the Specific
 * Character Set of this data set or the nearest enclosing one. The big Pixel Data value is never
 * copied by parsing.
 *
 * <p>Getter conventions: {@code getString} returns null when the element is absent or empty;
 * array and list getters return an empty array or list then; primitive getters take a default,
 * also returned when the value does not parse. Values of VR UN are read with the dictionary's VR.
 *
 * <p>Not thread-safe for changes; concurrent reads of a data set nobody changes are fine.
 */
public final class DicomObject implements Iterable<DicomElement> {
    /** The length field value meaning "undefined length" (0xFFFFFFFF). */
    public static final int UNDEFINED_LENGTH = -1;

    private static final int[] NO_INTS = new int[0];
    private static final VR[] NO_VRS = new VR[0];
    private static final Object[] NO_OBJECTS = new Object[0];

    private ByteSource source;
    private final boolean bigEndian;
    private DicomObject parent;

    private int size;
    private int[] tags = NO_INTS;
    private VR[] vrs = NO_VRS;
    private int[] offsets = NO_INTS;
    private int[] lengths = NO_INTS;
    private Object[] values = NO_OBJECTS;
    private boolean sorted = true;

    private SpecificCharacterSet charset;

    // Set on the top-level object of a read.
    private DicomObject fileMeta;
    private TransferSyntax transferSyntax;
    private long pixelDataPosition = -1;
    private boolean stoppedBeforePixelData;
    private long itemPosition = -1;

    /** An empty data set, little endian (what the writer and tests build). */
    public DicomObject() {
        this(null, false);
    }

    DicomObject(ByteSource source, boolean bigEndian) {
        this.source = source;
        this.bigEndian = bigEndian;
    }

    // ------------------------------------------------------------------ parse-time (package)

    void addParsed(int tag, VR vr, int offset, int length, Object value) {
        if (size > 0 && Integer.compareUnsigned(tag, tags[size - 1]) <= 0) {
            sorted = false;
        }
        grow();
        tags[size] = tag;
        vrs[size] = vr;
        offsets[size] = offset;
        lengths[size] = length;
        values[size] = value;
        size++;
    }

    /** Sorts by tag (stable) and drops later duplicates, after a parse of out-of-order elements. */
    void finishParse() {
        if (sorted) {
            return;
        }
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        int[] t = tags;
        Arrays.sort(order, (a, b) -> Integer.compareUnsigned(t[a], t[b]));
        int[] nt = new int[size];
        VR[] nv = new VR[size];
        int[] no = new int[size];
        int[] nl = new int[size];
        Object[] nval = new Object[size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            int k = order[i];
            if (n > 0 && nt[n - 1] == tags[k]) {
                continue;
            }
            nt[n] = tags[k];
            nv[n] = vrs[k];
            no[n] = offsets[k];
            nl[n] = lengths[k];
            nval[n] = values[k];
            n++;
        }
        tags = nt;
        vrs = nv;
        offsets = no;
        lengths = nl;
        values = nval;
        size = n;
        sorted = true;
    }

    void setParent(DicomObject parent) {
        this.parent = parent;
        this.charset = null;
    }

    void setFileMeta(DicomObject fileMeta) {
        this.fileMeta = fileMeta;
    }

    void setTransferSyntax(TransferSyntax ts) {
        this.transferSyntax = ts;
    }

    void setStoppedBeforePixelData(long position) {
        this.stoppedBeforePixelData = true;
        this.pixelDataPosition = position;
    }

    void setPixelDataPosition(long position) {
        this.pixelDataPosition = position;
    }

    void setItemPosition(long position) {
        this.itemPosition = position;
    }

    ByteSource source() {
        return source;
    }

    private void grow() {
        if (size == tags.length) {
            int cap = Math.max(8, size * 2);
            tags = Arrays.copyOf(tags, cap);
            vrs = Arrays.copyOf(vrs, cap);
            offsets = Arrays.copyOf(offsets, cap);
            lengths = Arrays.copyOf(lengths, cap);
            values = Arrays.copyOf(values, cap);
        }
    }

    // ------------------------------------------------------------------ structure

    /** Number of elements (top level of this data set). */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The tags of this data set in ascending order. */
    public int[] tags() {
        return Arrays.copyOf(tags, size);
    }

    public boolean contains(int tag) {
        return indexOf(tag) >= 0;
    }

    /** The VR of the element, or null when absent. */
    public VR vr(int tag) {
        int i = indexOf(tag);
        return i < 0 ? null : vrs[i];
    }

    /** The element, or null when absent. */
    public DicomElement element(int tag) {
        int i = indexOf(tag);
        return i < 0 ? null : new DicomElement(this, i);
    }

    /**
     * The value length as encoded (or as it will be encoded, before padding), {@link #UNDEFINED_LENGTH}
     * for sequences and encapsulated pixel data of undefined length, -2 when absent.
     */
    public long valueLength(int tag) {
        int i = indexOf(tag);
        return i < 0 ? -2 : valueLengthAt(i);
    }

    /** The enclosing data set of an item, or null for a top-level data set. */
    public DicomObject parent() {
        return parent;
    }

    /** True when values are big endian (read from Explicit VR Big Endian). */
    public boolean isBigEndian() {
        return bigEndian;
    }

    public ByteOrder byteOrder() {
        return bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    /** The File Meta Information (group 0002) of a Part 10 file, or null (bare data sets, items). */
    public DicomObject fileMeta() {
        return fileMeta;
    }

    /**
     * The transfer syntax this data set was read in (of the enclosing data set for items); for a
     * data set built in memory, Explicit VR Little Endian.
     */
    public TransferSyntax transferSyntax() {
        DicomObject o = this;
        while (o.transferSyntax == null && o.parent != null) {
            o = o.parent;
        }
        return o.transferSyntax != null ? o.transferSyntax : TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
    }

    /** True when the reader stopped before Pixel Data (the header-only option). */
    public boolean stoppedBeforePixelData() {
        return stoppedBeforePixelData;
    }

    /**
     * Byte offset of the Pixel Data element's tag in the input (in the inflated data set for
     * deflated syntaxes), or -1 when there is none or the data set was built in memory.
     */
    public long pixelDataPosition() {
        return pixelDataPosition;
    }

    /** Byte offset in the input of this item's (FFFE,E000) tag; -1 for top-level or built data sets. */
    public long itemPosition() {
        return itemPosition;
    }

    /** The Specific Character Set in force for this data set (its own, or the nearest enclosing one). */
    public SpecificCharacterSet specificCharacterSet() {
        SpecificCharacterSet cs = charset;
        if (cs == null) {
            int i = indexOf(Tag.SpecificCharacterSet);
            if (i >= 0) {
                cs = SpecificCharacterSet.of(splitTrimmed(rawText(i), VR.CS));
            } else if (parent != null) {
                cs = parent.specificCharacterSet();
            } else {
                cs = SpecificCharacterSet.DEFAULT;
            }
            charset = cs;
        }
        return cs;
    }

    @Override
    public Iterator<DicomElement> iterator() {
        return new Iterator<>() {
            int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public DicomElement next() {
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                return new DicomElement(DicomObject.this, next++);
            }
        };
    }

    // ------------------------------------------------------------------ typed getters

    /** The first value as text (numbers formatted), trimmed; null when absent or empty. */
    public String getString(int tag) {
        int i = indexOf(tag);
        return i < 0 ? null : stringAt(i);
    }

    public String getString(int tag, String defaultValue) {
        String s = getString(tag);
        return s == null ? defaultValue : s;
    }

    /** All values as text, trimmed (backslash-separated for multi-valued text VRs). */
    public String[] getStrings(int tag) {
        int i = indexOf(tag);
        return i < 0 ? new String[0] : stringsAt(i);
    }

    /** The first value as an int: binary integers, IS, DS (rounded), FL/FD (truncated). */
    public int getInt(int tag, int defaultValue) {
        int i = indexOf(tag);
        if (i < 0) {
            return defaultValue;
        }
        long[] v = longsAt(i, 1);
        return v == null || v.length == 0 ? defaultValue : (int) v[0];
    }

    /** The first value as a long (UL, UV, SV values beyond int range). */
    public long getLong(int tag, long defaultValue) {
        int i = indexOf(tag);
        if (i < 0) {
            return defaultValue;
        }
        long[] v = longsAt(i, 1);
        return v == null || v.length == 0 ? defaultValue : v[0];
    }

    /** All values as ints; empty when absent or unparsable. */
    public int[] getInts(int tag) {
        int i = indexOf(tag);
        if (i < 0) {
            return NO_INTS;
        }
        long[] v = longsAt(i, Integer.MAX_VALUE);
        if (v == null) {
            return NO_INTS;
        }
        int[] r = new int[v.length];
        for (int k = 0; k < v.length; k++) {
            r[k] = (int) v[k];
        }
        return r;
    }

    /** All values as longs; empty when absent or unparsable. */
    public long[] getLongs(int tag) {
        int i = indexOf(tag);
        long[] v = i < 0 ? null : longsAt(i, Integer.MAX_VALUE);
        return v == null ? new long[0] : v;
    }

    /** The first value as a double: DS, IS, FL, FD and binary integers. */
    public double getDouble(int tag, double defaultValue) {
        int i = indexOf(tag);
        if (i < 0) {
            return defaultValue;
        }
        double[] v = doublesAt(i, 1);
        return v == null || v.length == 0 ? defaultValue : v[0];
    }

    /** All values as doubles; empty when absent or unparsable. */
    public double[] getDoubles(int tag) {
        int i = indexOf(tag);
        double[] v = i < 0 ? null : doublesAt(i, Integer.MAX_VALUE);
        return v == null ? new double[0] : v;
    }

    /**
     * A copy of the value bytes as encoded (in {@link #byteOrder()}, text in the Specific Character
     * Set), without padding added; null when absent, a sequence or encapsulated pixel data.
     */
    public byte[] getBytes(int tag) {
        int i = indexOf(tag);
        return i < 0 ? null : bytesAt(i);
    }

    /** The items of a sequence; empty when absent or not a sequence. Changes to the list are not allowed. */
    public List<DicomObject> getSequence(int tag) {
        int i = indexOf(tag);
        return i < 0 ? List.of() : itemsAt(i);
    }

    /** The Private Creator reserving the block of a private tag, e.g. "GEMS_ACQU_01", or null. */
    public String privateCreator(int tag) {
        if (!Tag.isPrivate(tag) || Tag.element(tag) < 0x1000) {
            return null;
        }
        return getString(Tag.of(Tag.group(tag), Tag.element(tag) >>> 8));
    }

    // ------------------------------------------------------------------ pixel data

    /** True when Pixel Data (7FE0,0010) is present and encapsulated (fragments). */
    public boolean hasEncapsulatedPixelData() {
        int i = indexOf(Tag.PixelData);
        return i >= 0 && values[i] instanceof EncapsulatedPixelData;
    }

    /**
     * The native (uncompressed) Pixel Data (7FE0,0010) as a view of the parsed bytes, or null when
     * absent or encapsulated. Float (7FE0,0008) and Double Float (7FE0,0009) Pixel Data are given
     * when Pixel Data is absent.
     */
    public NativePixelData nativePixelData() {
        int i = indexOf(Tag.PixelData);
        if (i < 0) {
            i = indexOf(Tag.FloatPixelData);
        }
        if (i < 0) {
            i = indexOf(Tag.DoubleFloatPixelData);
        }
        if (i < 0 || values[i] instanceof EncapsulatedPixelData || values[i] instanceof List) {
            return null;
        }
        if (values[i] == null) {
            return new NativePixelData(tags[i], source.buf, offsets[i], lengths[i], byteOrder(), vrs[i]);
        }
        if (values[i] instanceof FileBytes.Mapped mapped) {
            return new NativePixelData(tags[i], mapped, byteOrder(), vrs[i]);
        }
        byte[] b = bytesAt(i);
        return new NativePixelData(tags[i], b, 0, b.length, byteOrder(), vrs[i]);
    }

    /**
     * The encapsulated Pixel Data, with the Extended Offset Table (7FE0,0001) and its lengths
     * (7FE0,0002) of this data set attached when present; null when Pixel Data is absent or native.
     */
    public EncapsulatedPixelData encapsulatedPixelData() {
        int i = indexOf(Tag.PixelData);
        if (i < 0 || !(values[i] instanceof EncapsulatedPixelData)) {
            return null;
        }
        EncapsulatedPixelData e = (EncapsulatedPixelData) values[i];
        int eot = indexOf(Tag.ExtendedOffsetTable);
        int eotl = indexOf(Tag.ExtendedOffsetTableLengths);
        if (eot >= 0 && eotl >= 0) {
            return e.withExtendedOffsetTable(uint64s(eot), uint64s(eotl));
        }
        return e;
    }

    private long[] uint64s(int i) {
        byte[] b = values[i] == null ? source.buf : bytesAt(i);
        int off = values[i] == null ? offsets[i] : 0;
        int len = values[i] == null ? lengths[i] : b.length;
        long[] r = new long[len / 8];
        for (int k = 0; k < r.length; k++) {
            r[k] = Bytes.i64(b, off + 8 * k, bigEndian);
        }
        return r;
    }

    /**
     * The Image Pixel module: Rows, Columns, Samples per Pixel, Bits Allocated/Stored, High Bit,
     * Pixel Representation, Planar Configuration, Photometric Interpretation, Number of Frames.
     *
     * @throws DicomException when a required attribute is missing or out of range
     */
    public ImageDescriptor imageDescriptor() throws DicomException {
        int rows = requirePositive(Tag.Rows, "Rows", 65535);
        int columns = requirePositive(Tag.Columns, "Columns", 65535);
        int samples = getInt(Tag.SamplesPerPixel, 1);
        if (samples < 1 || samples > 4) {
            throw new DicomException("Samples per Pixel " + Tag.toString(Tag.SamplesPerPixel) + " is " + samples + ", expected 1 to 4");
        }
        int bitsAllocated;
        if (contains(Tag.BitsAllocated)) {
            bitsAllocated = getInt(Tag.BitsAllocated, -1);
        } else if (contains(Tag.FloatPixelData)) {
            bitsAllocated = 32;
        } else if (contains(Tag.DoubleFloatPixelData)) {
            bitsAllocated = 64;
        } else {
            throw new DicomException("Bits Allocated " + Tag.toString(Tag.BitsAllocated) + " is missing");
        }
        if (bitsAllocated != 1 && (bitsAllocated < 8 || bitsAllocated > 64 || bitsAllocated % 8 != 0)) {
            throw new DicomException("Bits Allocated " + Tag.toString(Tag.BitsAllocated) + " is " + bitsAllocated
                    + ", expected 1, 8, 16, 32 or 64");
        }
        int bitsStored = getInt(Tag.BitsStored, bitsAllocated);
        if (bitsStored < 1 || bitsStored > bitsAllocated) {
            throw new DicomException("Bits Stored " + Tag.toString(Tag.BitsStored) + " is " + bitsStored
                    + ", expected 1 to Bits Allocated (" + bitsAllocated + ")");
        }
        int highBit = getInt(Tag.HighBit, bitsStored - 1);
        if (highBit < bitsStored - 1 || highBit >= bitsAllocated) {
            throw new DicomException("High Bit " + Tag.toString(Tag.HighBit) + " is " + highBit
                    + ", expected " + (bitsStored - 1) + " to " + (bitsAllocated - 1));
        }
        int pixelRepresentation = getInt(Tag.PixelRepresentation, 0);
        int planar = getInt(Tag.PlanarConfiguration, 0);
        String photometric = getString(Tag.PhotometricInterpretation, samples == 1 ? "MONOCHROME2" : "RGB");
        int frames = getInt(Tag.NumberOfFrames, 1);
        if (frames < 1) {
            if (frames == 0 || !contains(Tag.NumberOfFrames)) {
                frames = 1;
            } else {
                throw new DicomException("Number of Frames " + Tag.toString(Tag.NumberOfFrames) + " is " + frames);
            }
        }
        return new ImageDescriptor(rows, columns, samples, bitsAllocated, bitsStored, highBit,
                pixelRepresentation == 1, planar == 1 ? 1 : 0, photometric, frames);
    }

    private int requirePositive(int tag, String name, int max) throws DicomException {
        if (!contains(tag)) {
            throw new DicomException(name + " " + Tag.toString(tag) + " is missing");
        }
        int v = getInt(tag, -1);
        if (v < 1 || v > max) {
            throw new DicomException(name + " " + Tag.toString(tag) + " is " + v + ", expected 1 to " + max);
        }
        return v;
    }

    // ------------------------------------------------------------------ put API

    /** Sets a text value (values joined with backslash); VR from the dictionary. */
    public DicomObject putString(int tag, String... values) {
        return putString(tag, dictionaryVr(tag), values);
    }

    /**
     * Sets a text value of a text VR, or numbers of a binary VR given as text (e.g. US "512").
     * A null or empty value makes an empty element.
     */
    public DicomObject putString(int tag, VR vr, String... values) {
        if (vr.isText()) {
            String joined = values == null || values.length == 0 ? "" : String.join("\\", values);
            return set(tag, vr, joined);
        }
        if (vr.isBinaryFloat()) {
            double[] d = new double[values.length];
            for (int k = 0; k < d.length; k++) {
                d[k] = Double.parseDouble(values[k].strip());
            }
            return putDoubles(tag, vr, d);
        }
        if (vr.isBinaryInteger()) {
            long[] l = new long[values.length];
            for (int k = 0; k < l.length; k++) {
                l[k] = vr == VR.AT ? Tag.parse(values[k]) & 0xFFFFFFFFL : Long.parseLong(values[k].strip());
            }
            return putLongs(tag, vr, l);
        }
        throw new IllegalArgumentException("cannot put text into " + vr + " element " + Tag.toString(tag));
    }

    /** Sets integers: US SS UL SL SV UV AT OW OL OV as binary, IS and DS as text. */
    public DicomObject putInts(int tag, VR vr, int... values) {
        long[] l = new long[values.length];
        for (int k = 0; k < l.length; k++) {
            l[k] = vr == VR.UL || vr == VR.AT || vr == VR.OL || vr == VR.UV || vr == VR.OV
                    ? values[k] & 0xFFFFFFFFL : values[k];
        }
        return putLongs(tag, vr, l);
    }

    /** Sets integers with the dictionary's VR. */
    public DicomObject putInts(int tag, int... values) {
        return putInts(tag, dictionaryVr(tag), values);
    }

    /** Sets 64-bit (or smaller) integers: binary integer VRs, IS, DS. */
    public DicomObject putLongs(int tag, VR vr, long... values) {
        if (vr == VR.IS || vr == VR.DS) {
            StringJoiner j = new StringJoiner("\\");
            for (long v : values) {
                j.add(Long.toString(v));
            }
            return set(tag, vr, j.toString());
        }
        if (vr.isBinaryFloat()) {
            double[] d = new double[values.length];
            for (int k = 0; k < d.length; k++) {
                d[k] = values[k];
            }
            return putDoubles(tag, vr, d);
        }
        if (!vr.isBinaryInteger()) {
            throw new IllegalArgumentException("cannot put integers into " + vr + " element " + Tag.toString(tag));
        }
        int unit = vr == VR.AT ? 4 : vr.bytesPerValue();
        byte[] b = new byte[values.length * unit];
        for (int k = 0; k < values.length; k++) {
            long v = values[k];
            switch (unit) {
                case 2: Bytes.put16(b, 2 * k, (int) v, bigEndian); break;
                case 4:
                    if (vr == VR.AT) {
                        Bytes.put16(b, 4 * k, (int) (v >>> 16), bigEndian);
                        Bytes.put16(b, 4 * k + 2, (int) v, bigEndian);
                    } else {
                        Bytes.put32(b, 4 * k, (int) v, bigEndian);
                    }
                    break;
                default: Bytes.put64(b, 8 * k, v, bigEndian);
            }
        }
        return set(tag, vr, b);
    }

    /** Sets decimals: FL FD OF OD as binary, DS as text (shortest form that reads back the same). */
    public DicomObject putDoubles(int tag, VR vr, double... values) {
        if (vr == VR.DS || vr == VR.IS) {
            StringJoiner j = new StringJoiner("\\");
            for (double v : values) {
                j.add(vr == VR.IS ? Long.toString(Math.round(v)) : formatDS(v));
            }
            return set(tag, vr, j.toString());
        }
        if (!vr.isBinaryFloat()) {
            throw new IllegalArgumentException("cannot put decimals into " + vr + " element " + Tag.toString(tag));
        }
        int unit = vr.bytesPerValue();
        byte[] b = new byte[values.length * unit];
        for (int k = 0; k < values.length; k++) {
            if (unit == 4) {
                Bytes.put32(b, 4 * k, Float.floatToIntBits((float) values[k]), bigEndian);
            } else {
                Bytes.put64(b, 8 * k, Double.doubleToLongBits(values[k]), bigEndian);
            }
        }
        return set(tag, vr, b);
    }

    /** Sets decimals with the dictionary's VR. */
    public DicomObject putDoubles(int tag, double... values) {
        return putDoubles(tag, dictionaryVr(tag), values);
    }

    /** Sets raw value bytes, which must be in {@link #byteOrder()} (text in the Specific Character Set). */
    public DicomObject putBytes(int tag, VR vr, byte[] value) {
        if (vr == VR.SQ) {
            throw new IllegalArgumentException("use putSequence for SQ element " + Tag.toString(tag));
        }
        return set(tag, vr, value.clone());
    }

    /** Sets a sequence; the items become children of this data set. */
    public DicomObject putSequence(int tag, List<DicomObject> items) {
        List<DicomObject> copy = new ArrayList<>(items);
        for (DicomObject item : copy) {
            item.setParent(this);
        }
        return set(tag, VR.SQ, copy);
    }

    public DicomObject putSequence(int tag, DicomObject... items) {
        return putSequence(tag, Arrays.asList(items));
    }

    /** Sets native Pixel Data (OW for 16-bit and wider, OB for 8-bit), bytes in {@link #byteOrder()}. */
    public DicomObject putPixelData(VR vr, byte[] pixels) {
        if (vr != VR.OB && vr != VR.OW) {
            throw new IllegalArgumentException("Pixel Data is OB or OW, not " + vr);
        }
        return set(Tag.PixelData, vr, pixels.clone());
    }

    /** Sets encapsulated Pixel Data (OB, undefined length: Basic Offset Table item and fragments). */
    public DicomObject putEncapsulatedPixelData(EncapsulatedPixelData pixels) {
        return set(Tag.PixelData, VR.OB, pixels);
    }

    /** Removes the element; true when it was there. */
    public boolean remove(int tag) {
        int i = indexOf(tag);
        if (i < 0) {
            return false;
        }
        int tail = size - i - 1;
        System.arraycopy(tags, i + 1, tags, i, tail);
        System.arraycopy(vrs, i + 1, vrs, i, tail);
        System.arraycopy(offsets, i + 1, offsets, i, tail);
        System.arraycopy(lengths, i + 1, lengths, i, tail);
        System.arraycopy(values, i + 1, values, i, tail);
        size--;
        values[size] = null;
        if (tag == Tag.SpecificCharacterSet) {
            charset = null;
        }
        return true;
    }

    private DicomObject set(int tag, VR vr, Object value) {
        if (Tag.group(tag) == 0xFFFE) {
            throw new IllegalArgumentException("item and delimiter tags are not elements: " + Tag.toString(tag));
        }
        int i = indexOf(tag);
        if (i < 0) {
            i = -i - 1;
            grow();
            int tail = size - i;
            System.arraycopy(tags, i, tags, i + 1, tail);
            System.arraycopy(vrs, i, vrs, i + 1, tail);
            System.arraycopy(offsets, i, offsets, i + 1, tail);
            System.arraycopy(lengths, i, lengths, i + 1, tail);
            System.arraycopy(values, i, values, i + 1, tail);
            size++;
        }
        tags[i] = tag;
        vrs[i] = vr;
        offsets[i] = 0;
        lengths[i] = value instanceof byte[] ? ((byte[]) value).length : UNDEFINED_LENGTH;
        values[i] = value;
        if (tag == Tag.SpecificCharacterSet) {
            charset = null;
        }
        return this;
    }

    private static VR dictionaryVr(int tag) {
        DataDictionary.Entry e = DataDictionary.entry(tag);
        if (e == null) {
            throw new IllegalArgumentException("no dictionary VR for " + Tag.toString(tag) + "; give the VR");
        }
        return e.vr();
    }

    static String formatDS(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = Double.toString(v);
        if (s.length() <= 16) {
            return s;
        }
        for (int digits = 15; digits >= 1; digits--) {
            String t = String.format(java.util.Locale.ROOT, "%." + digits + "G", v).replaceFirst("\\.?0+(E|$)", "$1");
            if (t.length() <= 16) {
                return t.replace("E+", "E");
            }
        }
        return s.substring(0, 16);
    }

    // ------------------------------------------------------------------ index-based access (package)

    int indexOf(int tag) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Integer.compareUnsigned(tags[mid], tag);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    int tagAt(int i) {
        return tags[i];
    }

    VR vrAt(int i) {
        return vrs[i];
    }

    Object valueAt(int i) {
        return values[i];
    }

    /** Length of the encoded value before padding; UNDEFINED_LENGTH for sequences/encapsulated. */
    long valueLengthAt(int i) {
        Object v = values[i];
        if (v == null) {
            return lengths[i] & 0xFFFFFFFFL;
        }
        if (v instanceof String) {
            return encodeText(i, (String) v).length;
        }
        if (v instanceof byte[]) {
            return ((byte[]) v).length;
        }
        return lengths[i] == UNDEFINED_LENGTH ? UNDEFINED_LENGTH : lengths[i] & 0xFFFFFFFFL;
    }

    /** The VR to interpret the value with: the dictionary's for UN. */
    VR effectiveVr(int i) {
        VR vr = vrs[i];
        if (vr == VR.UN) {
            DataDictionary.Entry e = DataDictionary.entry(tags[i]);
            if (e == null && Tag.isPrivate(tags[i])) {
                e = DataDictionary.privateEntry(tags[i], privateCreator(tags[i]));
            }
            if (e != null && e.vr() != VR.SQ) {
                return e.vr();
            }
        }
        return vr;
    }

    @SuppressWarnings("unchecked")
    List<DicomObject> itemsAt(int i) {
        Object v = values[i];
        return v instanceof List ? Collections.unmodifiableList((List<DicomObject>) v) : List.of();
    }

    byte[] bytesAt(int i) {
        Object v = values[i];
        if (v == null) {
            return Arrays.copyOfRange(source.buf, offsets[i], offsets[i] + lengths[i]);
        }
        if (v instanceof byte[]) {
            return ((byte[]) v).clone();
        }
        if (v instanceof FileBytes.Mapped) {
            return mappedBytes((FileBytes.Mapped) v);
        }
        if (v instanceof String) {
            return encodeText(i, (String) v);
        }
        return null;
    }

    /** A copy of a value that is a view of a mapped file (Pixel Data of a large file). */
    private static byte[] mappedBytes(FileBytes.Mapped mapped) {
        try {
            return mapped.copy(0, mapped.bytes().remaining());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Raw value bytes without a copy where possible: array, offset, length. */
    byte[] rawArray(int i) {
        Object v = values[i];
        if (v == null) {
            return source.buf;
        }
        if (v instanceof byte[]) {
            return (byte[]) v;
        }
        if (v instanceof FileBytes.Mapped) {
            return mappedBytes((FileBytes.Mapped) v); // only the writer and the dumper need it as an array
        }
        if (v instanceof String) {
            return encodeText(i, (String) v);
        }
        return null;
    }

    /** The value as a view of a mapped file (large Pixel Data), or null: the writer sends it on without a copy. */
    FileBytes.Mapped mappedAt(int i) {
        return values[i] instanceof FileBytes.Mapped mapped ? mapped : null;
    }

    int rawOffset(int i) {
        return values[i] == null ? offsets[i] : 0;
    }

    int rawLength(int i) {
        Object v = values[i];
        if (v == null) {
            return lengths[i];
        }
        if (v instanceof FileBytes.Mapped) {
            return ((FileBytes.Mapped) v).bytes().remaining();
        }
        byte[] b = rawArray(i);
        return b == null ? 0 : b.length;
    }

    byte[] encodeText(int i, String text) {
        VR vr = vrs[i];
        if (vr.usesSpecificCharacterSet()) {
            return specificCharacterSet().encode(text);
        }
        return text.getBytes(vr == VR.UR || vr == VR.UN ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    /** The whole value as text, untrimmed. */
    String rawText(int i) {
        Object v = values[i];
        if (v instanceof String) {
            return (String) v;
        }
        byte[] b = rawArray(i);
        if (b == null) {
            return "";
        }
        VR vr = effectiveVr(i);
        if (vr.usesSpecificCharacterSet()) {
            return specificCharacterSet().decode(b, rawOffset(i), rawLength(i));
        }
        return new String(b, rawOffset(i), rawLength(i), StandardCharsets.ISO_8859_1);
    }

    String stringAt(int i) {
        VR vr = effectiveVr(i);
        if (vr.isText()) {
            String s = rawText(i);
            if (vr.isMultiValuedText()) {
                int bs = s.indexOf('\\');
                if (bs >= 0) {
                    s = s.substring(0, bs);
                }
            }
            s = trim(s, vr);
            return s.isEmpty() ? null : s;
        }
        if (vr == VR.SQ || !(values[i] == null || values[i] instanceof byte[] || values[i] instanceof FileBytes.Mapped)) {
            return null;
        }
        String[] all = binaryStrings(i, vr, 1);
        return all.length == 0 ? null : all[0];
    }

    String[] stringsAt(int i) {
        return stringsAt(i, Integer.MAX_VALUE);
    }

    /** Up to {@code max} values of a binary VR (all values of text). */
    String[] stringsAt(int i, int max) {
        VR vr = effectiveVr(i);
        if (vr.isText()) {
            String s = rawText(i);
            if (s.isEmpty()) {
                return new String[0];
            }
            if (!vr.isMultiValuedText()) {
                return new String[] {trim(s, vr)};
            }
            return splitTrimmed(s, vr);
        }
        if (vr == VR.SQ || !(values[i] == null || values[i] instanceof byte[] || values[i] instanceof FileBytes.Mapped)) {
            return new String[0];
        }
        return binaryStrings(i, vr, max);
    }

    private String[] binaryStrings(int i, VR vr, int max) {
        if (vr.isBinaryFloat()) {
            double[] d = doublesAt(i, max);
            String[] r = new String[d.length];
            for (int k = 0; k < d.length; k++) {
                r[k] = vr == VR.FL || vr == VR.OF ? Float.toString((float) d[k]) : Double.toString(d[k]);
            }
            return r;
        }
        if (vr.isBinaryInteger()) {
            long[] l = longsAt(i, max);
            String[] r = new String[l.length];
            for (int k = 0; k < l.length; k++) {
                r[k] = vr == VR.AT ? Tag.toString((int) l[k])
                        : vr == VR.UV || vr == VR.OV ? Long.toUnsignedString(l[k]) : Long.toString(l[k]);
            }
            return r;
        }
        return new String[0]; // OB, UN: no numbers
    }

    static String[] splitTrimmed(String s, VR vr) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        while (true) {
            int bs = s.indexOf('\\', start);
            parts.add(trim(bs < 0 ? s.substring(start) : s.substring(start, bs), vr));
            if (bs < 0) {
                break;
            }
            start = bs + 1;
        }
        return parts.toArray(new String[0]);
    }

    static String trim(String s, VR vr) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        int start = 0;
        if (vr != VR.LT && vr != VR.ST && vr != VR.UT) {
            while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\0')) {
                start++;
            }
        }
        return start == 0 && end == s.length() ? s : s.substring(start, end);
    }

    /** Up to {@code max} integer values, or null when the VR holds none or text does not parse. */
    long[] longsAt(int i, int max) {
        VR vr = effectiveVr(i);
        if (vr.isText()) {
            String[] parts = vr.isMultiValuedText() ? stringsAt(i) : new String[] {stringAt(i)};
            int n = Math.min(max, parts.length);
            long[] r = new long[n];
            for (int k = 0; k < n; k++) {
                String p = parts[k];
                if (p == null || p.isEmpty()) {
                    return null;
                }
                try {
                    r[k] = Long.parseLong(p.startsWith("+") ? p.substring(1) : p);
                } catch (NumberFormatException e) {
                    try {
                        r[k] = Math.round(Double.parseDouble(p));
                    } catch (NumberFormatException e2) {
                        return null;
                    }
                }
            }
            return r;
        }
        if (vr.isBinaryFloat()) {
            double[] d = doublesAt(i, max);
            long[] r = new long[d.length];
            for (int k = 0; k < d.length; k++) {
                r[k] = (long) d[k];
            }
            return r;
        }
        if (!vr.isBinaryInteger()) {
            return null;
        }
        byte[] b = rawArray(i);
        if (b == null) {
            return null;
        }
        int off = rawOffset(i);
        int unit = vr == VR.AT ? 4 : vr.bytesPerValue();
        int n = Math.min(max, rawLength(i) / unit);
        long[] r = new long[n];
        for (int k = 0; k < n; k++) {
            int p = off + k * unit;
            switch (vr) {
                case SS: r[k] = Bytes.i16(b, p, bigEndian); break;
                case US: case OW: r[k] = Bytes.u16(b, p, bigEndian); break;
                case SL: r[k] = Bytes.i32(b, p, bigEndian); break;
                case UL: case OL: r[k] = Bytes.i32(b, p, bigEndian) & 0xFFFFFFFFL; break;
                case AT: r[k] = (long) Bytes.u16(b, p, bigEndian) << 16 | Bytes.u16(b, p + 2, bigEndian); break;
                default: r[k] = Bytes.i64(b, p, bigEndian); break;
            }
        }
        return r;
    }

    double[] doublesAt(int i, int max) {
        VR vr = effectiveVr(i);
        if (vr.isText()) {
            String[] parts = vr.isMultiValuedText() ? stringsAt(i) : new String[] {stringAt(i)};
            int n = Math.min(max, parts.length);
            double[] r = new double[n];
            for (int k = 0; k < n; k++) {
                String p = parts[k];
                if (p == null || p.isEmpty()) {
                    return null;
                }
                try {
                    r[k] = Double.parseDouble(p);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            return r;
        }
        if (vr.isBinaryFloat()) {
            byte[] b = rawArray(i);
            if (b == null) {
                return null;
            }
            int off = rawOffset(i);
            int unit = vr.bytesPerValue();
            int n = Math.min(max, rawLength(i) / unit);
            double[] r = new double[n];
            for (int k = 0; k < n; k++) {
                r[k] = unit == 4 ? Float.intBitsToFloat(Bytes.i32(b, off + 4 * k, bigEndian))
                        : Double.longBitsToDouble(Bytes.i64(b, off + 8 * k, bigEndian));
            }
            return r;
        }
        long[] l = longsAt(i, max);
        if (l == null) {
            return null;
        }
        double[] r = new double[l.length];
        for (int k = 0; k < l.length; k++) {
            r[k] = (vr == VR.UV || vr == VR.OV) && l[k] < 0 ? unsignedToDouble(l[k]) : l[k];
        }
        return r;
    }

    private static double unsignedToDouble(long v) {
        return (double) (v >>> 1) * 2.0 + (v & 1);
    }

    @Override
    public String toString() {
        return "DicomObject[" + size + " elements]";
    }
}
