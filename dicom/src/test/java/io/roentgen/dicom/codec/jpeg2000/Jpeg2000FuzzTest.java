package io.roentgen.dicom.codec.jpeg2000;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.ImageDescriptor;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Truncated and bit-flipped JPEG 2000 streams: a DicomException or a full frame, nothing else
 * (no RuntimeException, no Error), and no hang.
 */
class Jpeg2000FuzzTest {

    private static final int CASES_PER_FILE = 100;

    private final Jpeg2000Decoder decoder = new Jpeg2000Decoder();

    @Test
    void truncatedAndFlippedStreamsFailCleanly() {
        assertTimeoutPreemptively(Duration.ofSeconds(240), () -> {
            Random random = new Random(0x12C0DE);
            int decoded = 0;
            int refused = 0;
            for (J2kFixtures fixture : J2kFixtures.all()) {
                byte[] frame = fixture.frames().get(0);
                ImageDescriptor image = fixture.image();
                for (int i = 0; i < CASES_PER_FILE; i++) {
                    byte[] corrupt = switch (i % 4) {
                        case 0 -> Arrays.copyOf(frame, random.nextInt(frame.length));
                        case 1 -> flip(frame, random, 0, frame.length, 1 + random.nextInt(8));
                        case 2 -> flip(frame, random, 0, Math.min(frame.length, 200), 1 + random.nextInt(3));
                        default -> flip(Arrays.copyOf(frame, frame.length / 2 + random.nextInt(frame.length / 2)),
                                random, 0, frame.length / 2, 1 + random.nextInt(4));
                    };
                    if (decodeOrDicomException(corrupt, image, fixture + " case " + i)) {
                        decoded++;
                    } else {
                        refused++;
                    }
                }
            }
            System.out.printf("JPEG 2000 fuzz: %d decoded, %d refused%n", decoded, refused);
        });
    }

    /** True when decoded, false when refused with a DicomException; fails on anything else. */
    private boolean decodeOrDicomException(byte[] data, ImageDescriptor image, String what) {
        try {
            byte[] out = decoder.decode(data, image).nativeBytes();
            if (out.length != image.nativeFrameBytes()) {
                fail(what + ": decoded " + out.length + " bytes");
            }
            return true;
        } catch (DicomException expected) {
            return false;
        } catch (Throwable t) {
            fail(what + ": " + t, t);
            return false;
        }
    }

    private static byte[] flip(byte[] data, Random random, int from, int to, int bits) {
        byte[] copy = data.clone();
        for (int b = 0; b < bits && to > from; b++) {
            int at = from + random.nextInt(Math.min(to, copy.length) - from);
            copy[at] ^= (byte) (1 << random.nextInt(8));
        }
        return copy;
    }
}
