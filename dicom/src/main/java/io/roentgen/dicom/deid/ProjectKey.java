package io.roentgen.dicom.deid;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The project's secret: every keyed value (new UIDs, pseudonyms, date shifts) is an
 * HMAC-SHA256 under it, so exports of one project link up, and nobody without the key can
 * reverse a value or confirm a guess (unlike unkeyed MD5 of the UID).
 */
public final class ProjectKey {
    /** Fewer bytes than this cannot resist a brute-force search of the key. */
    public static final int MIN_BYTES = 16;

    private final byte[] key;
    private final ThreadLocal<Mac> macs;

    public ProjectKey(byte[] key) {
        if (key.length < MIN_BYTES) {
            throw new IllegalArgumentException("the key has " + key.length + " bytes; it needs at least " + MIN_BYTES
                    + " (make one with: head -c 32 /dev/urandom > project.key)");
        }
        this.key = key.clone();
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** Reads a key file; a trailing newline (a key typed or echoed into the file) is not part of the key. */
    public static ProjectKey read(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int n = b.length;
        while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == '\r')) {
            n--;
        }
        return new ProjectKey(Arrays.copyOf(b, n));
    }

    /** HMAC-SHA256 of the value's UTF-8 bytes alone (UIDs: anyone holding the key can check a mapping with openssl). */
    public byte[] hmac(String value) {
        return macs.get().doFinal(value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * HMAC-SHA256 of a domain label, a zero byte and a value; the label keeps pseudonyms and date
     * shifts apart from each other and from UIDs (which hold no letters, so no label input is a UID).
     */
    public byte[] hmac(String domain, String value) {
        Mac mac = macs.get();
        mac.update(domain.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
