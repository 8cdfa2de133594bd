package io.roentgen.dicom.codec.rle;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.ImageDescriptor;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Truncated and bit-flipped RLE streams: a DicomException or a full frame, nothing else, no hang. */
class RleFuzzTest {

    private final RleDecoder decoder = new RleDecoder();

    @Test
    void truncatedAndFlippedStreamsFailCleanly() {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Random random = new Random(0x5EED);
            int cases = 0;
            for (RleFixtures fixture : RleFixtures.all()) {
                for (String tool : fixture.tools()) {
                    List<byte[]> frames = fixture.frames(tool);
                    byte[] frame = frames.get(0);
                    ImageDescriptor image = fixture.image();
                    for (int i = 0; i < 150; i++) {
                        byte[] corrupt = switch (i % 3) {
                            case 0 -> Arrays.copyOf(frame, random.nextInt(frame.length));
                            case 1 -> flip(frame, random, 1 + random.nextInt(8));
                            default -> flipHeader(frame, random);
                        };
                        decodeOrDicomException(corrupt, image, fixture + "/" + tool + " case " + i);
                        cases++;
                    }
                }
            }
            if (cases < 1000) {
                fail("only " + cases + " cases");
            }
        });
    }

    @Test
    void randomBytesFailCleanly() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Random random = new Random(42);
            ImageDescriptor image = new ImageDescriptor(64, 64, 3, 16, 16, 15, false, 0, "RGB", 1);
            for (int i = 0; i < 2000; i++) {
                byte[] junk = new byte[random.nextInt(4096)];
                random.nextBytes(junk);
                if (junk.length >= 4 && i % 2 == 0) {
                    junk[0] = 6;
                    junk[1] = junk[2] = junk[3] = 0;
                }
                decodeOrDicomException(junk, image, "random " + i);
            }
        });
    }

    private void decodeOrDicomException(byte[] data, ImageDescriptor image, String what) {
        try {
            byte[] out = decoder.decode(data, image).nativeBytes();
            if (out.length != image.nativeFrameBytes()) {
                fail(what + ": decoded " + out.length + " bytes");
            }
        } catch (DicomException expected) {
            // the only allowed failure
        } catch (Throwable t) {
            fail(what + ": " + t, t);
        }
    }

    private static byte[] flip(byte[] data, Random random, int bits) {
        byte[] copy = data.clone();
        for (int b = 0; b < bits; b++) {
            int at = random.nextInt(copy.length);
            copy[at] ^= (byte) (1 << random.nextInt(8));
        }
        return copy;
    }

    private static byte[] flipHeader(byte[] data, Random random) {
        byte[] copy = data.clone();
        int at = random.nextInt(Math.min(64, copy.length));
        copy[at] ^= (byte) (1 << random.nextInt(8));
        return copy;
    }
}
