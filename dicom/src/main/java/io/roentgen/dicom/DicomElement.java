package io.roentgen.dicom;

import java.util.List;

/**
 * One element of a {@link DicomObject}, as seen while iterating it (for dumps and copies). A view:
 * valid while the data set is not changed.
 */
public final class DicomElement {
    private final DicomObject owner;
    private final int index;

    DicomElement(DicomObject owner, int index) {
        this.owner = owner;
        this.index = index;
    }

    public int tag() {
        return owner.tagAt(index);
    }

    /** The VR as read (explicit VR) or looked up (implicit VR; UN when unknown). */
    public VR vr() {
        return owner.vrAt(index);
    }

    /**
     * The value length as encoded (before padding for values set in memory);
     * {@link DicomObject#UNDEFINED_LENGTH} for undefined-length sequences and encapsulated pixel data.
     */
    public long length() {
        return owner.values().valueLengthAt(index);
    }

    /** The dictionary keyword ("PatientID", private ones from dcmtk's private dictionary), or null. */
    public String keyword() {
        int tag = tag();
        String k = DataDictionary.keyword(tag);
        if (k == null && Tag.isPrivate(tag)) {
            DataDictionary.Entry e = DataDictionary.privateEntry(tag, owner.privateCreator(tag));
            k = e == null ? null : e.keyword();
        }
        return k;
    }

    public boolean isSequence() {
        return owner.valueAt(index) instanceof List;
    }

    /** The items of a sequence (empty otherwise). */
    public List<DicomObject> items() {
        return owner.values().itemsAt(index);
    }

    public boolean isEncapsulatedPixelData() {
        return owner.valueAt(index) instanceof EncapsulatedPixelData;
    }

    /** The fragments of encapsulated pixel data, or null. */
    public EncapsulatedPixelData encapsulatedPixelData() {
        Object v = owner.valueAt(index);
        return v instanceof EncapsulatedPixelData ? (EncapsulatedPixelData) v : null;
    }

    /** See {@link DicomObject#getString(int)}. */
    public String getString() {
        return owner.values().stringAt(index);
    }

    /** See {@link DicomObject#getStrings(int)}. */
    public String[] getStrings() {
        return owner.values().stringsAt(index);
    }

    /** See {@link DicomObject#getInts(int)}. */
    public int[] getInts() {
        return owner.getInts(tag());
    }

    /** See {@link DicomObject#getDoubles(int)}. */
    public double[] getDoubles() {
        return owner.getDoubles(tag());
    }

    /** See {@link DicomObject#getBytes(int)}. */
    public byte[] getBytes() {
        return owner.values().bytesAt(index);
    }

    int index() {
        return index;
    }

    /** The data set this element belongs to. */
    public DicomObject owner() {
        return owner;
    }

    @Override
    public String toString() {
        return Tag.toString(tag()) + " " + vr();
    }
}
