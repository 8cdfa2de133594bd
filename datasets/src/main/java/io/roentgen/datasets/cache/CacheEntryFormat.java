package io.roentgen.datasets.cache;

import io.roentgen.dicom.image.FloatImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The bytes of one cache entry, little-endian:
 * {@code "RTC1"}, key length, key (UTF-8), channels, height, width, CRC-32C of the payload,
 * payload (channels x height x width float16). An entry is valid only if its length is exactly what
 * the header implies, its key is the one looked up and the checksum matches, so a truncated,
 * foreign or damaged file is never taken for a tensor.
 */
final class CacheEntryFormat {
    private static final int MAGIC = 0x31435452; // "RTC1" read little-endian
    private static final int FIXED_HEADER = 4 * 6;
    private static final long MAX_SAMPLES = Integer.MAX_VALUE / 2 - 64;

    private CacheEntryFormat() {}

    static ByteBuffer encode(String key, FloatImage image) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        short[] halves = new short[image.data().length];
        Float16.fromFloats(image.data(), 0, halves, 0, halves.length);
        ByteBuffer payload = ByteBuffer.allocate(halves.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        payload.asShortBuffer().put(halves);
        CRC32C crc = new CRC32C();
        crc.update(payload.array());
        ByteBuffer entry = ByteBuffer.allocate(FIXED_HEADER + keyBytes.length + payload.capacity())
                .order(ByteOrder.LITTLE_ENDIAN);
        entry.putInt(MAGIC).putInt(keyBytes.length).put(keyBytes)
                .putInt(image.channels()).putInt(image.height()).putInt(image.width())
                .putInt((int) crc.getValue()).put(payload.array());
        return entry.flip();
    }

    /** The tensor in {@code entry}, or null when the entry is not a complete, intact entry for {@code key}. */
    static FloatImage decode(String key, ByteBuffer entry) {
        entry.order(ByteOrder.LITTLE_ENDIAN);
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        long headerSize = (long) FIXED_HEADER + keyBytes.length;
        if (entry.remaining() < headerSize || entry.getInt() != MAGIC || entry.getInt() != keyBytes.length) {
            return null;
        }
        byte[] storedKey = new byte[keyBytes.length];
        entry.get(storedKey);
        int channels = entry.getInt();
        int height = entry.getInt();
        int width = entry.getInt();
        int checksum = entry.getInt();
        if (!Arrays.equals(storedKey, keyBytes) || channels <= 0 || height <= 0 || width <= 0) {
            return null;
        }
        long samples = (long) channels * height * width;
        if (samples > MAX_SAMPLES || entry.remaining() != samples * 2) {
            return null; // truncated or with trailing bytes
        }
        CRC32C crc = new CRC32C();
        crc.update(entry.duplicate());
        if ((int) crc.getValue() != checksum) {
            return null;
        }
        short[] halves = new short[(int) samples];
        entry.asShortBuffer().get(halves);
        float[] data = new float[halves.length];
        Float16.toFloats(halves, 0, data, 0, halves.length);
        return new FloatImage(data, channels, height, width);
    }
}
