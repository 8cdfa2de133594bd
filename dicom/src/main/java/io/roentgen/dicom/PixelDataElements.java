package io.roentgen.dicom;

import java.util.List;

/**
 * Finds the pixel data elements of a data set and gives them as views: native Pixel Data (or
 * Float / Double Float Pixel Data) without copying parsed or mapped bytes, and encapsulated Pixel
 * Data with the Extended Offset Table attached.
 */
final class PixelDataElements {
    private PixelDataElements() {}

    static NativePixelData nativePixelData(DicomObject ds) {
        int i = ds.indexOf(Tag.PixelData);
        if (i < 0) {
            i = ds.indexOf(Tag.FloatPixelData);
        }
        if (i < 0) {
            i = ds.indexOf(Tag.DoubleFloatPixelData);
        }
        Object v = i < 0 ? null : ds.valueAt(i);
        if (i < 0 || v instanceof EncapsulatedPixelData || v instanceof List) {
            return null;
        }
        int tag = ds.tagAt(i);
        VR vr = ds.vrAt(i);
        if (v == null) {
            return new NativePixelData(tag, ds.source().buf, ds.values().parsedOffset(i), ds.values().parsedLength(i), ds.byteOrder(), vr);
        }
        if (v instanceof FileBytes.Mapped mapped) {
            return new NativePixelData(tag, mapped, ds.byteOrder(), vr);
        }
        byte[] b = ds.values().bytesAt(i); // a copy: the data set may change its array later
        return new NativePixelData(tag, b, 0, b.length, ds.byteOrder(), vr);
    }

    static EncapsulatedPixelData encapsulatedPixelData(DicomObject ds) {
        int i = ds.indexOf(Tag.PixelData);
        if (i < 0 || !(ds.valueAt(i) instanceof EncapsulatedPixelData e)) {
            return null;
        }
        int eot = ds.indexOf(Tag.ExtendedOffsetTable);
        int eotl = ds.indexOf(Tag.ExtendedOffsetTableLengths);
        if (eot >= 0 && eotl >= 0) {
            return e.withExtendedOffsetTable(uint64s(ds, eot), uint64s(ds, eotl));
        }
        return e;
    }

    /** The value as 64-bit integers, whatever its VR says (the offset tables are OV, older writers used OB). */
    private static long[] uint64s(DicomObject ds, int i) {
        byte[] b = ds.values().rawArray(i);
        if (b == null) {
            return new long[0];
        }
        RawValue v = RawValue.binary(VR.OV, b, ds.values().rawOffset(i), ds.values().rawLength(i), ds.isBigEndian());
        return VR.OV.valueType().longs(v, Integer.MAX_VALUE);
    }
}
