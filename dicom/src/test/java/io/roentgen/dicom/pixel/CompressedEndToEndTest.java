package io.roentgen.dicom.pixel;

import io.roentgen.dicom.ImageDescriptor;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.codec.PixelDecoder;
import io.roentgen.dicom.testing.EncapsulatedFrames;
import io.roentgen.dicom.testing.MinimumCount;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every compressed fixture the codec suites prove against dcmtk and GDCM, now through the path a
 * user's file takes: DicomReader (fragments, offset tables, header) -> PixelDecoders (chosen by
 * transfer syntax) -> DicomPixels. The values must equal the codec-level decoding of the same
 * bit streams, and mutated files must end in success or a DicomException, never anything else.
 */
class CompressedEndToEndTest {
    private static final List<String> FOLDERS = List.of("rle", "jpeg", "jpegls", "jpeg2000", "core", "archive");

    /** Compressed files in FOLDERS: both factories check every one. */
    private static final int COMPRESSED_FIXTURES = 179;

    private static List<Path> compressedFixtures() throws IOException, URISyntaxException, DicomException {
        List<Path> files = new ArrayList<>();
        for (String folder : FOLDERS) {
            Path dir = Path.of(CompressedEndToEndTest.class.getResource("/fixtures/" + folder).toURI());
            try (Stream<Path> list = Files.list(dir)) {
                for (Path p : list.filter(f -> f.toString().endsWith(".dcm")).sorted().toList()) {
                    DicomObject header = DicomReader.builder().stopBeforePixelData(true).build().read(p);
                    if (header.transferSyntax().isEncapsulated()) {
                        files.add(p);
                    }
                }
            }
        }
        return MinimumCount.atLeast(COMPRESSED_FIXTURES, files, "compressed fixtures in " + FOLDERS);
    }

    @TestFactory
    Stream<DynamicTest> readerPathEqualsCodecPath() throws Exception {
        List<Path> files = compressedFixtures();
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getParent().getFileName() + "/" + file.getFileName(), () -> {
            DicomObject dicom = DicomReader.defaults().read(file);
            List<Frame> viaReader;
            try {
                viaReader = DicomPixels.frames(dicom, null);
            } catch (DicomException refused) {
                // Fixtures kept to prove clean refusal (e.g. GDCM's lossy 12-bit with precision 16)
                // must be refused the same way at codec level.
                assertCodecRefuses(file, dicom);
                return;
            }
            ImageDescriptor image = dicom.imageDescriptor();
            PixelDecoder decoder = PixelDecoders.forTransferSyntax(dicom.transferSyntax());
            List<byte[]> streams = EncapsulatedFrames.frames(Files.readAllBytes(file), image.frames());
            assertEquals(image.frames(), viaReader.size());
            for (int f = 0; f < streams.size(); f++) {
                PixelDecoder.DecodedFrame decoded = decoder.decode(streams.get(f), image.withFrames(1));
                Frame expected = NativePixelDecoder.decodeDecompressedFrame(decoded.nativeBytes(),
                        image.withPhotometric(decoded.photometric()));
                assertArrayEquals(expected.samples(), viaReader.get(f).samples(), "frame " + f);
                assertEquals(expected.photometric(), viaReader.get(f).photometric());
            }
        }));
    }

    private static void assertCodecRefuses(Path file, DicomObject dicom) throws Exception {
        ImageDescriptor image = dicom.imageDescriptor();
        PixelDecoder decoder = PixelDecoders.forTransferSyntax(dicom.transferSyntax());
        byte[] stream = EncapsulatedFrames.frames(Files.readAllBytes(file), image.frames()).get(0);
        try {
            decoder.decode(stream, image.withFrames(1));
            fail(file + ": the reader path refused a frame the codec decodes");
        } catch (DicomException expected) {
            // both refuse
        }
    }

    /** Bit flips, byte runs and truncations in the compressed files: success or DicomException. */
    @TestFactory
    Stream<DynamicTest> mutatedCompressedFilesFailCleanly() throws Exception {
        return compressedFixtures().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            byte[] original = Files.readAllBytes(file);
            SplittableRandom random = new SplittableRandom(file.getFileName().toString().hashCode());
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                for (int i = 0; i < 40; i++) {
                    decodeExpectingOnlyDicomException(mutate(original, random, i));
                }
            });
        }));
    }

    private static byte[] mutate(byte[] original, SplittableRandom random, int round) {
        int tail = Math.max(1, original.length / 2);
        int start = original.length - tail; // the pixel data sits at the end of these files
        switch (round % 3) {
            case 0: {
                byte[] b = original.clone();
                for (int k = 0; k < 1 + random.nextInt(8); k++) {
                    int at = start + random.nextInt(tail);
                    b[at] ^= (byte) (1 << random.nextInt(8));
                }
                return b;
            }
            case 1: {
                byte[] b = original.clone();
                int at = start + random.nextInt(tail);
                for (int k = at; k < Math.min(b.length, at + 1 + random.nextInt(64)); k++) {
                    b[k] = (byte) random.nextInt(256);
                }
                return b;
            }
            default:
                return java.util.Arrays.copyOf(original, start + random.nextInt(tail));
        }
    }

    private static void decodeExpectingOnlyDicomException(byte[] bytes) {
        try {
            DicomObject dicom = DicomReader.defaults().read(bytes);
            DicomPixels.frames(dicom, null);
        } catch (DicomException expected) {
            // a clear refusal is the right answer
        } catch (Throwable t) {
            fail("a mutated file escaped as " + t, t);
        }
    }
}
