package io.roentgen.dicom;

/**
 * OB and UN: opaque bytes. They hold neither numbers nor text (a UN value whose dictionary VR is
 * known is read with that VR's value type instead); {@link DicomObject#getBytes} gives the bytes.
 */
final class BytesValues extends ValueType.NoValues {
    static final BytesValues INSTANCE = new BytesValues();

    private BytesValues() {}
}
