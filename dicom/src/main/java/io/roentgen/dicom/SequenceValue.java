package io.roentgen.dicom;

/**
 * SQ: the value is a list of items, kept as {@code List<DicomObject>} by the data set; it has no
 * text or numbers of its own.
 */
final class SequenceValue extends ValueType.NoValues {
    static final SequenceValue INSTANCE = new SequenceValue();

    private SequenceValue() {}
}
