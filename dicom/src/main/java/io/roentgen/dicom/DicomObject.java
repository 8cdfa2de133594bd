package io.roentgen.dicom;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A DICOM data set: elements ordered by tag, with typed getters, a put API for building data
 * sets, and views of the pixel data.
 *
 * <p>Parsed values stay as views (offset, length) of the bytes the reader parsed, in the byte
 * order of the transfer syntax; strings are decoded only when asked for, with the Specific
 * Character Set of this data set or the nearest enclosing one. The big Pixel Data value is never
 * copied by parsing. How a value reads as text or numbers is its VR's {@link ValueType}'s business
 * ({@link ElementValues} hands it the value).
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

    private final ByteSource source;
    private final boolean bigEndian;
    private final ElementTable elements;
    private final ElementValues elementValues;
    private DicomObject parent;
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
        this.elements = new ElementTable(source);
        this.elementValues = new ElementValues(this, elements);
    }

    // ------------------------------------------------------------------ parse-time (package)

    void addParsed(int tag, VR vr, int offset, int length, Object value) {
        elements.append(tag, vr, offset, length, value);
    }

    /** Sorts by tag and drops later duplicates, after a parse of out-of-order elements. */
    void finishParse() {
        elements.sortAndDropDuplicates();
    }

    void setParent(DicomObject parent) {
        this.parent = parent;
        this.charset = null;
    }

    /** What the reader learned about a top-level data set beyond its elements. */
    void setReadFacts(DicomObject fileMeta, TransferSyntax ts, long pixelDataPosition, boolean stoppedBeforePixelData) {
        this.fileMeta = fileMeta;
        this.transferSyntax = ts;
        this.pixelDataPosition = pixelDataPosition;
        this.stoppedBeforePixelData = stoppedBeforePixelData;
    }

    void setItemPosition(long position) {
        this.itemPosition = position;
    }

    ByteSource source() {
        return source;
    }

    // ------------------------------------------------------------------ structure

    /** Number of elements (top level of this data set). */
    public int size() {
        return elements.size();
    }

    public boolean isEmpty() {
        return elements.size() == 0;
    }

    /** The tags of this data set in ascending order. */
    public int[] tags() {
        return elements.tags();
    }

    public boolean contains(int tag) {
        return indexOf(tag) >= 0;
    }

    /** The VR of the element, or null when absent. */
    public VR vr(int tag) {
        int i = indexOf(tag);
        return i < 0 ? null : elements.vr(i);
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
        return i < 0 ? -2 : elementValues.valueLengthAt(i);
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
                cs = SpecificCharacterSet.of(StringValues.splitTrimmed(elementValues.rawText(i), VR.CS));
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
                return next < elements.size();
            }

            @Override
            public DicomElement next() {
                if (next >= elements.size()) {
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
        return i < 0 ? null : elementValues.stringAt(i);
    }

    public String getString(int tag, String defaultValue) {
        String s = getString(tag);
        return s == null ? defaultValue : s;
    }

    /** All values as text, trimmed (backslash-separated for multi-valued text VRs). */
    public String[] getStrings(int tag) {
        int i = indexOf(tag);
        return i < 0 ? new String[0] : elementValues.stringsAt(i);
    }

    /** The first value as an int: binary integers, IS, DS (rounded), FL/FD (truncated). */
    public int getInt(int tag, int defaultValue) {
        return (int) getLong(tag, defaultValue);
    }

    /** The first value as a long (UL, UV, SV values beyond int range). */
    public long getLong(int tag, long defaultValue) {
        int i = indexOf(tag);
        long[] v = i < 0 ? null : elementValues.longsAt(i, 1);
        return v == null || v.length == 0 ? defaultValue : v[0];
    }

    /** All values as ints; empty when absent or unparsable. */
    public int[] getInts(int tag) {
        long[] v = getLongs(tag);
        int[] r = new int[v.length];
        for (int k = 0; k < v.length; k++) {
            r[k] = (int) v[k];
        }
        return r;
    }

    /** All values as longs; empty when absent or unparsable. */
    public long[] getLongs(int tag) {
        int i = indexOf(tag);
        long[] v = i < 0 ? null : elementValues.longsAt(i, Integer.MAX_VALUE);
        return v == null ? new long[0] : v;
    }

    /** The first value as a double: DS, IS, FL, FD and binary integers. */
    public double getDouble(int tag, double defaultValue) {
        int i = indexOf(tag);
        double[] v = i < 0 ? null : elementValues.doublesAt(i, 1);
        return v == null || v.length == 0 ? defaultValue : v[0];
    }

    /** All values as doubles; empty when absent or unparsable. */
    public double[] getDoubles(int tag) {
        int i = indexOf(tag);
        double[] v = i < 0 ? null : elementValues.doublesAt(i, Integer.MAX_VALUE);
        return v == null ? new double[0] : v;
    }

    /**
     * A copy of the value bytes as encoded (in {@link #byteOrder()}, text in the Specific Character
     * Set), without padding added; null when absent, a sequence or encapsulated pixel data.
     */
    public byte[] getBytes(int tag) {
        int i = indexOf(tag);
        return i < 0 ? null : elementValues.bytesAt(i);
    }

    /** The items of a sequence; empty when absent or not a sequence. Changes to the list are not allowed. */
    public List<DicomObject> getSequence(int tag) {
        int i = indexOf(tag);
        return i < 0 ? List.of() : elementValues.itemsAt(i);
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
        return i >= 0 && elements.value(i) instanceof EncapsulatedPixelData;
    }

    /**
     * The native (uncompressed) Pixel Data (7FE0,0010) as a view of the parsed bytes, or null when
     * absent or encapsulated. Float (7FE0,0008) and Double Float (7FE0,0009) Pixel Data are given
     * when Pixel Data is absent.
     */
    public NativePixelData nativePixelData() {
        return PixelDataElements.nativePixelData(this);
    }

    /**
     * The encapsulated Pixel Data, with the Extended Offset Table (7FE0,0001) and its lengths
     * (7FE0,0002) of this data set attached when present; null when Pixel Data is absent or native.
     */
    public EncapsulatedPixelData encapsulatedPixelData() {
        return PixelDataElements.encapsulatedPixelData(this);
    }

    /**
     * The Image Pixel module: Rows, Columns, Samples per Pixel, Bits Allocated/Stored, High Bit,
     * Pixel Representation, Planar Configuration, Photometric Interpretation, Number of Frames.
     *
     * @throws DicomException when a required attribute is missing or out of range
     */
    public ImageDescriptor imageDescriptor() throws DicomException {
        return ImagePixelModule.read(this);
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
        return set(tag, vr, vr.valueType().fromStrings(vr, values, bigEndian), "text");
    }

    /** Sets integers: US SS UL SL SV UV AT OW OL OV as binary, IS and DS as text. */
    public DicomObject putInts(int tag, VR vr, int... values) {
        boolean unsigned = vr == VR.UL || vr == VR.AT || vr == VR.OL || vr == VR.UV || vr == VR.OV;
        long[] l = new long[values.length];
        for (int k = 0; k < l.length; k++) {
            l[k] = unsigned ? values[k] & 0xFFFFFFFFL : values[k];
        }
        return putLongs(tag, vr, l);
    }

    /** Sets integers with the dictionary's VR. */
    public DicomObject putInts(int tag, int... values) {
        return putInts(tag, dictionaryVr(tag), values);
    }

    /** Sets 64-bit (or smaller) integers: binary integer VRs, IS, DS. */
    public DicomObject putLongs(int tag, VR vr, long... values) {
        return set(tag, vr, vr.valueType().fromLongs(vr, values, bigEndian), "integers");
    }

    /** Sets decimals: FL FD OF OD as binary, DS as text (shortest form that reads back the same). */
    public DicomObject putDoubles(int tag, VR vr, double... values) {
        return set(tag, vr, vr.valueType().fromDoubles(vr, values, bigEndian), "decimals");
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
        elements.removeAt(i);
        if (tag == Tag.SpecificCharacterSet) {
            charset = null;
        }
        return true;
    }

    /** Stores a value a value type encoded; null means the VR holds no such values ({@code what}). */
    private DicomObject set(int tag, VR vr, Object encoded, String what) {
        if (encoded == null) {
            throw new IllegalArgumentException("cannot put " + what + " into " + vr + " element " + Tag.toString(tag));
        }
        return set(tag, vr, encoded);
    }

    private DicomObject set(int tag, VR vr, Object value) {
        if (Tag.group(tag) == 0xFFFE) {
            throw new IllegalArgumentException("item and delimiter tags are not elements: " + Tag.toString(tag));
        }
        elements.put(tag, vr, 0, value instanceof byte[] b ? b.length : UNDEFINED_LENGTH, value);
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

    // ------------------------------------------------------------------ index-based access (package)

    int indexOf(int tag) {
        return elements.indexOf(tag);
    }

    int tagAt(int i) {
        return elements.tag(i);
    }

    VR vrAt(int i) {
        return elements.vr(i);
    }

    Object valueAt(int i) {
        return elements.value(i);
    }

    /** How element {@code i} reads as text, numbers and bytes. */
    ElementValues values() {
        return elementValues;
    }

    @Override
    public String toString() {
        return "DicomObject[" + elements.size() + " elements]";
    }
}
