package io.roentgen.dicom.deid;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA256 (RFC 2104) on the JDK's SHA-256 {@link MessageDigest}, one instance per thread.
 * Not {@code javax.crypto.Mac}: its first {@code getInstance} starts the JCE (every provider of
 * java.security, the crypto policy files parsed, the provider jar checked), 15-20 ms of CPU in a
 * short {@code roentgen deid}, which then hashes a few hundred UIDs (docs/DECISIONS.md,
 * "De-identification without javax.crypto"). {@code HmacSha256Test} holds it to RFC 4231's vectors
 * and to {@code Mac} itself.
 */
final class HmacSha256 {
    private static final int BLOCK = 64;

    private final MessageDigest digest;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];

    HmacSha256(byte[] key) {
        digest = sha256();
        byte[] k = key.length > BLOCK ? digest.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
        digest.update(innerPad);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e); // every JDK has it
        }
    }

    void update(byte[] bytes) {
        digest.update(bytes);
    }

    void update(byte b) {
        digest.update(b);
    }

    /** The MAC of everything updated since the last call; the instance is then ready for the next message. */
    byte[] doFinal(byte[] last) {
        digest.update(last);
        byte[] inner = digest.digest();
        digest.update(outerPad);
        byte[] mac = digest.digest(inner);
        digest.update(innerPad);
        return mac;
    }
}
