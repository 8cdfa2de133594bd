package io.roentgen.dicom.codec.rle;

import io.roentgen.dicom.ImageDescriptor;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Test-only Part 10 writing and reading, enough to hand our encoder's frames to dcmtk and GDCM
 * and to read back the native pixels they write. Not the production writer.
 */
final class TestPart10 {
    private TestPart10() {}

    /** An Explicit VR Little Endian style file with encapsulated Pixel Data, one fragment per frame. */
    static byte[] encapsulated(ImageDescriptor image, String transferSyntax, List<byte[]> frames) {
        ByteArrayOutputStream ds = new ByteArrayOutputStream();
        String sopClass = "1.2.840.10008.5.1.4.1.1.7";
        String sopInstance = "1.2.826.0.1.3680043.10.1329.9.1";
        element(ds, 0x0008, 0x0016, "UI", ui(sopClass));
        element(ds, 0x0008, 0x0018, "UI", ui(sopInstance));
        element(ds, 0x0008, 0x0060, "CS", text("OT"));
        element(ds, 0x0020, 0x000D, "UI", ui("1.2.826.0.1.3680043.10.1329.9.2"));
        element(ds, 0x0020, 0x000E, "UI", ui("1.2.826.0.1.3680043.10.1329.9.3"));
        element(ds, 0x0028, 0x0002, "US", us(image.samplesPerPixel()));
        element(ds, 0x0028, 0x0004, "CS", text(image.photometric()));
        if (image.samplesPerPixel() > 1) {
            element(ds, 0x0028, 0x0006, "US", us(image.planarConfiguration()));
        }
        if (frames.size() > 1) {
            element(ds, 0x0028, 0x0008, "IS", text(Integer.toString(frames.size())));
        }
        element(ds, 0x0028, 0x0010, "US", us(image.rows()));
        element(ds, 0x0028, 0x0011, "US", us(image.columns()));
        element(ds, 0x0028, 0x0100, "US", us(image.bitsAllocated()));
        element(ds, 0x0028, 0x0101, "US", us(image.bitsStored()));
        element(ds, 0x0028, 0x0102, "US", us(image.highBit()));
        element(ds, 0x0028, 0x0103, "US", us(image.signed() ? 1 : 0));
        // Pixel Data: OB, undefined length, Basic Offset Table then one fragment per frame.
        tag(ds, 0x7FE0, 0x0010);
        ds.writeBytes("OB".getBytes(StandardCharsets.US_ASCII));
        ds.writeBytes(new byte[] {0, 0});
        int32(ds, -1);
        ByteBuffer bot = ByteBuffer.allocate(4 * frames.size()).order(ByteOrder.LITTLE_ENDIAN);
        int offset = 0;
        for (byte[] f : frames) {
            bot.putInt(offset);
            offset += 8 + f.length + (f.length & 1);
        }
        item(ds, bot.array());
        for (byte[] f : frames) {
            item(ds, (f.length & 1) == 0 ? f : java.util.Arrays.copyOf(f, f.length + 1));
        }
        tag(ds, 0xFFFE, 0xE0DD);
        int32(ds, 0);

        ByteArrayOutputStream meta = new ByteArrayOutputStream();
        element(meta, 0x0002, 0x0001, "OB", new byte[] {0, 1});
        element(meta, 0x0002, 0x0002, "UI", ui(sopClass));
        element(meta, 0x0002, 0x0003, "UI", ui(sopInstance));
        element(meta, 0x0002, 0x0010, "UI", ui(transferSyntax));
        element(meta, 0x0002, 0x0012, "UI", ui("1.2.826.0.1.3680043.10.1329.0"));
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(new byte[128]);
        file.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        element(file, 0x0002, 0x0000, "UL", ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(meta.size()).array());
        file.writeBytes(meta.toByteArray());
        file.writeBytes(ds.toByteArray());
        return file.toByteArray();
    }

    /** The value of the last native (defined length OB/OW) Pixel Data element of an Explicit VR LE file. */
    static byte[] nativePixelData(byte[] file) {
        for (int i = file.length - 12; i >= 0; i--) {
            if (file[i] == (byte) 0xE0 && file[i + 1] == 0x7F && file[i + 2] == 0x10 && file[i + 3] == 0
                    && file[i + 4] == 'O' && (file[i + 5] == 'W' || file[i + 5] == 'B')
                    && file[i + 6] == 0 && file[i + 7] == 0) {
                int len = ByteBuffer.wrap(file, i + 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
                if (len >= 0 && i + 12 + (long) len <= file.length) {
                    return java.util.Arrays.copyOfRange(file, i + 12, i + 12 + len);
                }
            }
        }
        throw new IllegalArgumentException("no native Pixel Data element");
    }

    private static void element(ByteArrayOutputStream out, int group, int elem, String vr, byte[] value) {
        tag(out, group, elem);
        out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
        if (vr.equals("OB") || vr.equals("OW") || vr.equals("UN") || vr.equals("SQ")) {
            out.writeBytes(new byte[] {0, 0});
            int32(out, value.length);
        } else {
            out.write(value.length & 0xFF);
            out.write(value.length >>> 8);
        }
        out.writeBytes(value);
    }

    private static void item(ByteArrayOutputStream out, byte[] value) {
        tag(out, 0xFFFE, 0xE000);
        int32(out, value.length);
        out.writeBytes(value);
    }

    private static void tag(ByteArrayOutputStream out, int group, int elem) {
        out.write(group & 0xFF);
        out.write(group >>> 8);
        out.write(elem & 0xFF);
        out.write(elem >>> 8);
    }

    private static void int32(ByteArrayOutputStream out, int v) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    private static byte[] us(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8)};
    }

    private static byte[] ui(String uid) {
        byte[] b = uid.getBytes(StandardCharsets.US_ASCII);
        return (b.length & 1) == 0 ? b : java.util.Arrays.copyOf(b, b.length + 1);
    }

    private static byte[] text(String s) {
        return (s.length() & 1) == 0 ? s.getBytes(StandardCharsets.US_ASCII)
                : (s + " ").getBytes(StandardCharsets.US_ASCII);
    }
}
