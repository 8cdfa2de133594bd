package io.roentgen.dicom.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only extraction of the fragments of encapsulated Pixel Data from an Explicit VR Little
 * Endian Part 10 file (what dcmtk and GDCM write for compressed syntaxes), so codec tests can
 * feed bit streams to a decoder without the production reader. It assumes one fragment per
 * frame unless told the frame count, then it splits by the Basic Offset Table.
 */
public final class EncapsulatedFrames {
    private static final byte[] PIXEL_DATA_OB_UNDEFINED = {
        (byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'B', 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF
    };

    private EncapsulatedFrames() {}

    /** The frames of the file: fragments of each frame concatenated. */
    public static List<byte[]> frames(byte[] part10, int frameCount) {
        int pos = indexOf(part10, PIXEL_DATA_OB_UNDEFINED);
        if (pos < 0) {
            throw new IllegalArgumentException("no encapsulated Pixel Data (OB, undefined length) found");
        }
        ByteBuffer b = ByteBuffer.wrap(part10).order(ByteOrder.LITTLE_ENDIAN);
        b.position(pos + PIXEL_DATA_OB_UNDEFINED.length);
        List<Integer> offsets = new ArrayList<>();
        List<byte[]> fragments = new ArrayList<>();
        List<Integer> fragmentStarts = new ArrayList<>();
        boolean first = true;
        int itemsStart = -1;
        while (b.remaining() >= 8) {
            int group = b.getShort() & 0xFFFF;
            int element = b.getShort() & 0xFFFF;
            int length = b.getInt();
            if (group == 0xFFFE && element == 0xE0DD) {
                break;
            }
            if (group != 0xFFFE || element != 0xE000) {
                throw new IllegalArgumentException("unexpected tag in pixel data sequence");
            }
            byte[] value = new byte[length];
            b.get(value);
            if (first) {
                ByteBuffer t = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
                while (t.remaining() >= 4) {
                    offsets.add(t.getInt());
                }
                first = false;
                itemsStart = b.position();
            } else {
                fragmentStarts.add(b.position() - length - 8 - itemsStart);
                fragments.add(value);
            }
        }
        if (frameCount == fragments.size() || offsets.isEmpty()) {
            if (frameCount != fragments.size() && frameCount != 1) {
                throw new IllegalArgumentException("cannot split " + fragments.size() + " fragments into "
                        + frameCount + " frames without an offset table");
            }
            if (frameCount == 1) {
                return List.of(concat(fragments, 0, fragments.size()));
            }
            return fragments;
        }
        List<byte[]> frames = new ArrayList<>();
        for (int f = 0; f < offsets.size(); f++) {
            int from = fragmentStarts.indexOf(offsets.get(f));
            int to = f + 1 < offsets.size() ? fragmentStarts.indexOf(offsets.get(f + 1)) : fragments.size();
            frames.add(concat(fragments, from, to));
        }
        return frames;
    }

    private static byte[] concat(List<byte[]> parts, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = from; i < to; i++) {
            out.writeBytes(parts.get(i));
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
