package io.roentgen.dicom.pixel;

import io.roentgen.dicom.DicomException;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * One channel of a Palette Color Lookup Table (PS3.3 C.7.6.3.1.5/6), resolved: a stored value
 * {@code v} maps to {@code values[v - firstMapped]}, values below {@code firstMapped} to the first
 * entry and values past the end to the last.
 *
 * @param entries     number of entries (descriptor value 0 already turned into 65536)
 * @param firstMapped first stored value mapped (signed when PixelRepresentation is 1)
 * @param bits        8 or 16: the range of the entries is 0 .. 2^bits-1
 * @param values      {@code entries} entries
 */
public record PaletteLut(int entries, int firstMapped, int bits, int[] values) {

    public PaletteLut {
        Objects.requireNonNull(values, "values");
        if (entries < 1 || entries > 65536 || values.length != entries) {
            throw new IllegalArgumentException("a palette LUT needs 1..65536 entries matching its data, got "
                    + entries + " entries and " + values.length + " values");
        }
        if (bits != 8 && bits != 16) {
            throw new IllegalArgumentException("palette LUT bits must be 8 or 16, got " + bits);
        }
    }

    /**
     * Builds a channel from the attributes as they are in the file.
     *
     * @param channel       "Red", "Green" or "Blue", for messages
     * @param descriptor    the three values of (0028,1101/1102/1103) as read, either as unsigned
     *                      (0..65535) or signed 16-bit numbers
     * @param lutData       the value of (0028,1201/1202/1203) (OW): 16-bit words
     * @param order         byte order of those words (big endian only for Explicit VR Big Endian)
     * @param signedPixels  PixelRepresentation is 1: the second descriptor value is then signed
     * @throws DicomException when the descriptor or the data are malformed
     */
    public static PaletteLut fromAttributes(String channel, int[] descriptor, byte[] lutData, ByteOrder order,
            boolean signedPixels) throws DicomException {
        String what = channel + " Palette Color Lookup Table";
        if (descriptor == null || descriptor.length != 3) {
            throw new DicomException(what + " Descriptor must have 3 values, got "
                    + (descriptor == null ? "none" : descriptor.length));
        }
        if (lutData == null) {
            throw new DicomException(what + " Data is missing");
        }
        int entries = descriptor[0] & 0xFFFF;
        if (entries == 0) {
            entries = 65536;
        }
        int first = descriptor[1];
        first = signedPixels ? (short) first : first & 0xFFFF;
        int bits = descriptor[2] & 0xFFFF;
        if (bits != 8 && bits != 16) {
            throw new DicomException(what + " Descriptor: bits per entry must be 8 or 16, got " + bits);
        }
        boolean be = order == ByteOrder.BIG_ENDIAN;
        int words = lutData.length / 2;
        int[] values = new int[entries];
        if (bits == 8 && words < entries && lutData.length >= entries) {
            // Two 8-bit entries packed per 16-bit word, first entry in the low byte.
            for (int i = 0; i < entries; i++) {
                int word = i >> 1;
                int lo = lutData[2 * word + (be ? 1 : 0)] & 0xFF;
                int hi = lutData[2 * word + (be ? 0 : 1)] & 0xFF;
                values[i] = (i & 1) == 0 ? lo : hi;
            }
        } else {
            if (words < entries) {
                throw new DicomException(what + " Data holds " + lutData.length + " bytes, " + entries
                        + " entries need " + (2L * entries) + " bytes");
            }
            int max = 0;
            for (int i = 0; i < entries; i++) {
                int lo = lutData[2 * i + (be ? 1 : 0)] & 0xFF;
                int hi = lutData[2 * i + (be ? 0 : 1)] & 0xFF;
                values[i] = lo | (hi << 8);
                max = Math.max(max, values[i]);
            }
            if (bits == 8 && max > 255) {
                bits = 16; // the entries are 16-bit whatever the descriptor says (as dcmtk reads them)
            }
        }
        return new PaletteLut(entries, first, bits, values);
    }

    /** The entry a stored value maps to. */
    public int lookup(int storedValue) {
        long i = (long) storedValue - firstMapped;
        if (i <= 0) {
            return values[0];
        }
        return i >= entries ? values[entries - 1] : values[(int) i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PaletteLut p && p.entries == entries && p.firstMapped == firstMapped && p.bits == bits
                && Arrays.equals(p.values, values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(entries, firstMapped, bits, Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return "PaletteLut[entries=" + entries + ", firstMapped=" + firstMapped + ", bits=" + bits + "]";
    }
}
