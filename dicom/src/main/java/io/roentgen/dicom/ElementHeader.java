package io.roentgen.dicom;

/**
 * The header of one element as read from the input, before its value is: what the parser's
 * header step hands its value step (dcm4che's {@code DicomInputStream.readHeader()} keeps the
 * same facts in fields).
 *
 * @param tag          the tag
 * @param vr           the VR read (explicit VR) or looked up (implicit VR)
 * @param length       the value length field, 0xFFFFFFFF for undefined length
 * @param position     where the tag is
 * @param headerLength 8, or 12 for explicit VRs with a 32-bit length
 * @param explicit     true when the header carried the VR (a File Meta group written in implicit
 *                     VR, or a parse in implicit VR, gives false)
 */
record ElementHeader(int tag, VR vr, long length, int position, int headerLength, boolean explicit) {
    static final long UNDEFINED_LENGTH = 0xFFFFFFFFL;

    int valuePosition() {
        return position + headerLength;
    }

    boolean undefinedLength() {
        return length == UNDEFINED_LENGTH;
    }
}
