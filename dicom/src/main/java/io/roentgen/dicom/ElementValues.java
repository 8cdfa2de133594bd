package io.roentgen.dicom;

import java.util.Collections;
import java.util.List;

/**
 * How the stored elements of one data set read, by index: the VR to read a value with (the
 * dictionary's for UN), text decoded with the Specific Character Set in force, binary values as
 * views of their bytes, and the VR's {@link ValueType} for text and numbers. {@link DicomObject}'s
 * getters, {@link DicomElement}, the writer and the dumper read values through it.
 */
final class ElementValues {
    private final DicomObject ds;
    private final ElementTable elements;

    ElementValues(DicomObject ds, ElementTable elements) {
        this.ds = ds;
        this.elements = elements;
    }

    /** Length of the encoded value before padding; UNDEFINED_LENGTH for sequences and fragments of undefined length. */
    long valueLengthAt(int i) {
        Object v = elements.value(i);
        if (v == null) {
            return elements.length(i) & 0xFFFFFFFFL;
        }
        if (v instanceof String s) {
            return encodeText(i, s).length;
        }
        if (v instanceof byte[] b) {
            return b.length;
        }
        int length = elements.length(i);
        return length == DicomObject.UNDEFINED_LENGTH ? DicomObject.UNDEFINED_LENGTH : length & 0xFFFFFFFFL;
    }

    /** The VR to interpret the value with: the dictionary's for UN. */
    VR effectiveVr(int i) {
        VR vr = elements.vr(i);
        if (vr == VR.UN) {
            int tag = elements.tag(i);
            DataDictionary.Entry e = DataDictionary.entry(tag);
            if (e == null && Tag.isPrivate(tag)) {
                e = DataDictionary.privateEntry(tag, ds.privateCreator(tag));
            }
            if (e != null && e.vr() != VR.SQ) {
                return e.vr();
            }
        }
        return vr;
    }

    @SuppressWarnings("unchecked")
    List<DicomObject> itemsAt(int i) {
        return elements.value(i) instanceof List<?> items
                ? Collections.unmodifiableList((List<DicomObject>) items) : List.of();
    }

    byte[] bytesAt(int i) {
        return elements.value(i) instanceof String s ? encodeText(i, s) : elements.copyOfBytes(i);
    }

    /** Raw value bytes without a copy where possible: array, offset, length; null for items and fragments. */
    byte[] rawArray(int i) {
        return elements.value(i) instanceof String s ? encodeText(i, s) : elements.array(i);
    }

    /** The offset and length of a parsed value in {@link #source()}: valid when {@link #valueAt} is null. */
    int parsedOffset(int i) {
        return elements.offset(i);
    }

    int parsedLength(int i) {
        return elements.length(i);
    }

    int rawOffset(int i) {
        return elements.arrayOffset(i);
    }

    int rawLength(int i) {
        return elements.value(i) instanceof String s ? encodeText(i, s).length : elements.arrayLength(i);
    }

    byte[] encodeText(int i, String text) {
        VR vr = elements.vr(i);
        return StringValues.encode(vr, text, vr.usesSpecificCharacterSet() ? ds.specificCharacterSet() : null);
    }

    /** The whole value as text, untrimmed. */
    String rawText(int i) {
        if (elements.value(i) instanceof String s) {
            return s;
        }
        byte[] b = rawArray(i);
        if (b == null) {
            return "";
        }
        VR vr = effectiveVr(i);
        return StringValues.decode(vr, b, rawOffset(i), rawLength(i),
                vr.usesSpecificCharacterSet() ? ds.specificCharacterSet() : null);
    }

    /**
     * The value as its value type reads it: the text of text VRs, a view of the bytes of binary
     * VRs; null when it holds neither (a sequence, or fragments under a binary VR).
     */
    private RawValue rawValue(int i, VR vr) {
        if (vr.isText()) {
            return RawValue.text(vr, rawText(i));
        }
        Object v = elements.value(i);
        if (vr.isSequence() || !(v == null || v instanceof byte[] || v instanceof FileBytes.Mapped)) {
            return null;
        }
        return RawValue.binary(vr, rawArray(i), rawOffset(i), rawLength(i), ds.isBigEndian());
    }

    String stringAt(int i) {
        VR vr = effectiveVr(i);
        RawValue v = rawValue(i, vr);
        return v == null ? null : vr.valueType().first(v);
    }

    String[] stringsAt(int i) {
        return stringsAt(i, Integer.MAX_VALUE);
    }

    /** Up to {@code max} values of a binary VR (all values of text). */
    String[] stringsAt(int i, int max) {
        VR vr = effectiveVr(i);
        RawValue v = rawValue(i, vr);
        return v == null ? new String[0] : vr.valueType().strings(v, max);
    }

    /** Up to {@code max} integer values, or null when the VR holds none or text does not parse. */
    long[] longsAt(int i, int max) {
        VR vr = effectiveVr(i);
        RawValue v = rawValue(i, vr);
        return v == null ? null : vr.valueType().longs(v, max);
    }

    /** Up to {@code max} decimal values, or null when the VR holds none or text does not parse. */
    double[] doublesAt(int i, int max) {
        VR vr = effectiveVr(i);
        RawValue v = rawValue(i, vr);
        return v == null ? null : vr.valueType().doubles(v, max);
    }
}
