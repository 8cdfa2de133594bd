package io.roentgen.dicom.codec.jpegls;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.codec.jpegls.JpegLsFixtures.Fixture;
import io.roentgen.dicom.ImageDescriptor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Truncated and corrupted versions of every fixture stream (seeded, so a failure reproduces):
 * the decoder either decodes (into exactly the declared frame size) or throws DicomException;
 * anything else, or a hang, fails.
 */
class JpegLsRobustnessTest {
    private static final int TRUNCATIONS = 40;
    private static final int BIT_FLIPS = 80;
    private static final int BYTE_EDITS = 40;

    private final JpegLsDecoder decoder = new JpegLsDecoder();

    static List<Fixture> fixtures() {
        return JpegLsFixtures.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void corruptStreamsFailCleanly(Fixture fixture) {
        byte[] original = fixture.frames().get(0);
        ImageDescriptor image = fixture.image();
        long seed = fixture.file().hashCode();
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Random random = new Random(seed);
            int scanStart = scanDataStart(original);

            for (int t = 0; t < TRUNCATIONS; t++) {
                int length = t < 8 ? Math.max(0, original.length - 1 - t) : random.nextInt(original.length);
                check(Arrays.copyOf(original, length), image, fixture, "truncated to " + length, outcomes);
            }
            for (int t = 0; t < BIT_FLIPS; t++) {
                byte[] s = original.clone();
                int flips = 1 + random.nextInt(4);
                StringBuilder what = new StringBuilder("bit flips at");
                for (int i = 0; i < flips; i++) {
                    // two in three in the scan data, the rest anywhere (headers included)
                    int at = random.nextInt(3) > 0 && scanStart < s.length
                            ? scanStart + random.nextInt(s.length - scanStart) : random.nextInt(s.length);
                    int bit = random.nextInt(8);
                    s[at] ^= (byte) (1 << bit);
                    what.append(' ').append(at).append('.').append(bit);
                }
                check(s, image, fixture, what.toString(), outcomes);
            }
            for (int t = 0; t < BYTE_EDITS; t++) {
                byte[] s = original.clone();
                int at = random.nextInt(s.length);
                int kind = random.nextInt(4);
                String what;
                if (kind == 0) {
                    s[at] = (byte) 0xFF; // fake marker starts and stuffing errors
                    what = "0xFF at " + at;
                } else if (kind == 1) {
                    s[at] = 0;
                    what = "0x00 at " + at;
                } else if (kind == 2) {
                    s[at] = (byte) random.nextInt(256);
                    what = "random byte at " + at;
                } else {
                    // a whole run of garbage
                    int n = Math.min(s.length - at, 1 + random.nextInt(64));
                    for (int i = 0; i < n; i++) {
                        s[at + i] = (byte) random.nextInt(256);
                    }
                    what = n + " random bytes at " + at;
                }
                check(s, image, fixture, what, outcomes);
            }
        }, () -> fixture + ": decoding a corrupted stream took too long (hang?)");
        // most corruptions must be noticed; flips in the last padding bits or in ignored segments need not be
        assertTrue(outcomes[1] > 0, fixture + ": no corrupted stream was refused");
    }

    private void check(byte[] stream, ImageDescriptor image, Fixture fixture, String what, int[] outcomes) {
        try {
            byte[] out = decoder.decode(stream, image).nativeBytes();
            if (out.length != image.nativeFrameBytes()) {
                fail(fixture + " " + what + ": decoded " + out.length + " bytes, expected " + image.nativeFrameBytes());
            }
            outcomes[0]++;
        } catch (DicomException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("JPEG-LS")) {
                fail(fixture + " " + what + ": unhelpful message " + e.getMessage());
            }
            outcomes[1]++;
        } catch (Throwable t) {
            throw new AssertionError(fixture + " " + what + ": " + t, t);
        }
    }

    /** Offset of the first scan's entropy-coded data (after SOS), or 0. */
    private static int scanDataStart(byte[] s) {
        for (int i = 0; i + 3 < s.length; i++) {
            if ((s[i] & 0xFF) == 0xFF && (s[i + 1] & 0xFF) == 0xDA) {
                return i + 2 + ((s[i + 2] & 0xFF) << 8 | (s[i + 3] & 0xFF));
            }
        }
        return 0;
    }
}
