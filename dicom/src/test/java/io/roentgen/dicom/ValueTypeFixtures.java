package io.roentgen.dicom;

import io.roentgen.dicom.HostileInputTest.Ds;

import java.util.Arrays;

/** Shared by the value type tests: real reads and writes of small data sets. */
final class ValueTypeFixtures {
    private ValueTypeFixtures() {}

    /** Writes {@code ds} as a Part 10 file in {@code ts} and reads it back (big endian values stay big endian). */
    static DicomObject roundTrip(DicomObject ds, TransferSyntax ts) throws DicomException {
        ds.putString(Tag.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7").putString(Tag.SOPInstanceUID, "1.2.3.4");
        DicomObject back = DicomReader.defaults().read(DicomWriter.of(ts).toByteArray(ds));
        if (back.isBigEndian() != ts.isBigEndian()) {
            throw new AssertionError("read back in the wrong byte order");
        }
        return back;
    }

    /** Reads one explicit VR little endian element whose value is {@code value}, length as given. */
    static DicomObject readOne(int tag, String vr, byte[] value) throws DicomException {
        byte[] dataSet = new Ds().header(tag, vr, value.length).raw(value).bytes();
        return DicomReader.defaults().read(HostileInputTest.part10(HostileInputTest.EXPLICIT, dataSet));
    }

    /** {@code n} bytes counting up from 1. */
    static byte[] counting(int n) {
        byte[] b = new byte[n];
        for (int k = 0; k < n; k++) {
            b[k] = (byte) (k + 1);
        }
        return b;
    }

    static RawValue binary(VR vr, byte[] bytes, boolean bigEndian) {
        return RawValue.binary(vr, bytes, 0, bytes.length, bigEndian);
    }

    /** The same bytes inside a larger array at an odd offset, as parsed values are views. */
    static RawValue viewAtOddOffset(VR vr, byte[] bytes, boolean bigEndian) {
        byte[] big = new byte[bytes.length + 7];
        Arrays.fill(big, (byte) 0x5A);
        System.arraycopy(bytes, 0, big, 3, bytes.length);
        return RawValue.binary(vr, big, 3, bytes.length, bigEndian);
    }
}
