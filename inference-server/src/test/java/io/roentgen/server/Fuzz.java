package io.roentgen.server;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Random mutations of a valid body: bit flips, truncation, splices, repeated and random bytes. */
final class Fuzz {
    private Fuzz() {}

    static byte[] mutate(byte[] seed, SplittableRandom random) {
        byte[] b = Arrays.copyOf(seed, seed.length);
        switch (random.nextInt(5)) {
            case 0 -> {
                for (int i = 0, n = 1 + random.nextInt(16); i < n; i++) {
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> b = Arrays.copyOf(b, random.nextInt(b.length));
            case 2 -> {
                int from = random.nextInt(b.length);
                int to = random.nextInt(b.length);
                int len = random.nextInt(Math.min(256, b.length - Math.max(from, to)) + 1);
                System.arraycopy(seed, from, b, to, len);
            }
            case 3 -> {
                for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
                    int at = random.nextInt(b.length);
                    b[at] = (byte) random.nextInt(256);
                    if (at + 4 <= b.length && random.nextBoolean()) {
                        b[at] = b[at + 1] = b[at + 2] = b[at + 3] = (byte) 0xFF; // huge lengths
                    }
                }
            }
            default -> {
                b = new byte[random.nextInt(2048)];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) random.nextInt(256);
                }
            }
        }
        return b;
    }
}
