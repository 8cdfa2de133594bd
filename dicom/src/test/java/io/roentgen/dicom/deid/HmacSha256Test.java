package io.roentgen.dicom.deid;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The HMAC under every keyed value: RFC 4231's test vectors, and the JDK's own Mac on random keys and messages. */
class HmacSha256Test {
    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void rfc4231Vectors() {
        assertEquals("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                hex(new HmacSha256(filled(20, 0x0b)).doFinal("Hi There".getBytes(StandardCharsets.US_ASCII))));
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                hex(new HmacSha256("Jefe".getBytes(StandardCharsets.US_ASCII)).doFinal("what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII))));
        assertEquals("773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
                hex(new HmacSha256(filled(20, 0xaa)).doFinal(filled(50, 0xdd))));
        // A key longer than SHA-256's 64-byte block is hashed first.
        assertEquals("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
                hex(new HmacSha256(filled(131, 0xaa)).doFinal("Test Using Larger Than Block-Size Key - Hash Key First".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void equalsTheJdkMacOverRandomKeysAndMessagesAndReuse() throws Exception {
        Random random = new Random(20);
        for (int round = 0; round < 200; round++) {
            byte[] key = new byte[1 + random.nextInt(150)];
            random.nextBytes(key);
            Mac jdk = Mac.getInstance("HmacSHA256");
            jdk.init(new SecretKeySpec(key, "HmacSHA256"));
            HmacSha256 ours = new HmacSha256(key);
            for (int message = 0; message < 3; message++) { // one instance, reused: each call starts afresh
                byte[] head = new byte[random.nextInt(100)];
                byte[] tail = new byte[random.nextInt(300)];
                random.nextBytes(head);
                random.nextBytes(tail);
                jdk.update(head);
                jdk.update((byte) 0);
                ours.update(head);
                ours.update((byte) 0);
                assertArrayEquals(jdk.doFinal(tail), ours.doFinal(tail), "key " + hex(key));
            }
        }
    }

    @Test
    void projectKeyValuesAreTheJdkMacOfTheirInputs() throws Exception {
        byte[] key = filled(32, 7);
        ProjectKey projectKey = new ProjectKey(key);
        Mac jdk = Mac.getInstance("HmacSHA256");
        jdk.init(new SecretKeySpec(key, "HmacSHA256"));
        assertArrayEquals(jdk.doFinal("1.2.840.113619.2.55".getBytes(StandardCharsets.UTF_8)), projectKey.hmac("1.2.840.113619.2.55"));
        jdk.update("date-shift".getBytes(StandardCharsets.UTF_8));
        jdk.update((byte) 0);
        assertArrayEquals(jdk.doFinal("MRN7731904".getBytes(StandardCharsets.UTF_8)), projectKey.hmac("date-shift", "MRN7731904"));
    }
}
