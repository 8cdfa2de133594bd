package io.roentgen.datasets.synth;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Deterministic UIDs for synthetic data: {@code 2.25.} followed by the decimal value of the first
 * 128 bits of SHA-256 over (seed, kind, patient, study, series, instance). The 2.25 root (ISO/IEC
 * 9834-8, UUID-derived) needs no registered organisation root, and a 128-bit hash collides no more
 * than a random UUID, so the same seed always gives the same UIDs and different seeds different ones.
 */
final class SynthUids {
    static final String STUDY = "study";
    static final String SERIES = "series";
    static final String INSTANCE = "instance";

    private final long seed;

    SynthUids(long seed) {
        this.seed = seed;
    }

    String study(int patient, int study) {
        return uid(STUDY, patient, study, 0, 0);
    }

    String series(int patient, int study, int series) {
        return uid(SERIES, patient, study, series, 0);
    }

    String instance(int patient, int study, int series, int instance) {
        return uid(INSTANCE, patient, study, series, instance);
    }

    private String uid(String kind, int patient, int study, int series, int instance) {
        ByteBuffer key = ByteBuffer.allocate(8 + 16 + kind.length());
        key.putLong(seed).putInt(patient).putInt(study).putInt(series).putInt(instance);
        key.put(kind.getBytes(StandardCharsets.US_ASCII));
        byte[] hash = sha256(key.array());
        return "2.25." + new BigInteger(1, Arrays.copyOf(hash, 16));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
