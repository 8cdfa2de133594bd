package io.roentgen.dicom.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.pixel.VoiFunction;
import io.roentgen.dicom.pixel.VoiSpec;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins the preprocessing output bit for bit: the SHA-256 of every float (and the shape, or the
 * error) that each spec gives on every pixel fixture and on compressed RLE and JPEG 2000 ones. The
 * digests were computed by the code before preprocessing became one spec and one function
 * (then PixelPipeline + TransformSpec + Preprocessor, commit 3545b0d), so a change in any value fails here. The JSON of
 * each spec is pinned too: model bundles and tensor-cache keys store it.
 */
class PreprocessingGoldenTest {

    /** Name, spec, JSON the old code wrote for it, digest of its outputs over every fixture. */
    private record Golden(String name, PreprocessingSpec spec, String json, String digest) {}

    private static List<Golden> goldens() {
        return List.of(
                new Golden("standard 48x48, 1 channel", PreprocessingSpec.standard(48, 1),
                        "{\"pixels\":{\"voi\":{\"mode\":\"FILE\"},\"invertMonochrome1\":true},\"transform\":{\"padToSquare\":0.0,\"resize\":{\"height\":48,\"width\":48,\"method\":\"auto\"},\"channels\":1}}",
                        "f9937b00abc458cb18fb696ec61c6127d97c3e73519060727b92db08f4617db4"),
                new Golden("explicit sigmoid window, no inversion, 32x32 RGB",
                        PreprocessingSpec.standard(32, 3)
                                .withVoi(VoiSpec.explicit(600, 900, VoiFunction.SIGMOID)).withInvertMonochrome1(false),
                        "{\"pixels\":{\"voi\":{\"mode\":\"EXPLICIT\",\"center\":600.0,\"width\":900.0,\"function\":\"SIGMOID\"},\"invertMonochrome1\":false},\"transform\":{\"padToSquare\":0.0,\"resize\":{\"height\":32,\"width\":32,\"method\":\"auto\"},\"channels\":3}}",
                        "6df164f44810f03c76596bf4f99cef36bc9c74d2ead120d89b1e71176bd64070"),
                new Golden("percentile window, ImageNet 40 -> crop 32",
                        PreprocessingSpec.imagenet(40, 32).withVoi(VoiSpec.percentile(0.5, 99.5)),
                        "{\"pixels\":{\"voi\":{\"mode\":\"PERCENTILE\",\"lowPercentile\":0.5,\"highPercentile\":99.5},\"invertMonochrome1\":true},\"transform\":{\"shorterSide\":{\"size\":40,\"method\":\"auto\"},\"centreCrop\":{\"height\":32,\"width\":32},\"channels\":3,\"normalization\":{\"mean\":[0.485,0.456,0.406],\"std\":[0.229,0.224,0.225]}}}",
                        "4a72689646ee8a14e9bdc6cd08a1f99c229f05af56abd8591f83073cefa1dbd1"),
                new Golden("min-max, bilinear 24x20, normalised",
                        new PreprocessingSpec(VoiSpec.minMax(), true, null,
                                new PreprocessingSpec.Resize(24, 20, ResizeMethod.BILINEAR), null, null,
                                1, new Normalization(List.of(0.5f), List.of(0.25f))),
                        "{\"pixels\":{\"voi\":{\"mode\":\"MINMAX\"},\"invertMonochrome1\":true},\"transform\":{\"resize\":{\"height\":24,\"width\":20,\"method\":\"bilinear\"},\"channels\":1,\"normalization\":{\"mean\":[0.5],\"std\":[0.25]}}}",
                        "9e012de51d10e36ed06dfb8de8fa278e5891707d93b7a3d1e25e16a9a16b1b55"),
                new Golden("explicit linear window, no transform",
                        PreprocessingSpec.window(VoiSpec.explicit(100, 200), true),
                        "{\"pixels\":{\"voi\":{\"mode\":\"EXPLICIT\",\"center\":100.0,\"width\":200.0,\"function\":\"LINEAR\"},\"invertMonochrome1\":true},\"transform\":{\"channels\":0}}",
                        "75a57f57e9c24dbde0eb6d9055257543ba0be57caa6e7a26db8786b56e0fbd2b"));
    }

    @Test
    void everySpecGivesThePinnedOutputOnEveryFixture() throws Exception {
        List<DicomObject> fixtures = fixtures();
        StringBuilder report = new StringBuilder();
        for (Golden g : goldens()) {
            report.append(g.name()).append(": json ").append(g.spec().toJson()).append(" digest ")
                    .append(digest(fixtures, g.spec())).append('\n');
        }
        System.out.println(report);
        for (Golden g : goldens()) {
            assertEquals(g.json(), g.spec().toJson(), g.name() + ": JSON");
            assertEquals(g.spec(), PreprocessingSpec.fromJson(g.json()), g.name() + ": JSON read back");
            assertEquals(g.digest(), digest(fixtures, g.spec()), g.name() + ": output");
        }
    }

    @Test
    void trainingPathWithAugmentationGivesThePinnedOutput() throws Exception {
        PreprocessingSpec spec = PreprocessingSpec.standard(32, 1).withNormalization(
                new Normalization(List.of(0.5f), List.of(0.25f)));
        Augmenter augmenter = new Augmenter(Augmentation.mild());
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        List<DicomObject> fixtures = fixtures();
        for (int i = 0; i < fixtures.size(); i++) {
            try {
                Preprocessing p = Preprocessing.of(spec);
                add(sha, p.finish(p.geometry(p.window(fixtures.get(i), 0)), augmenter, 7, 2, i));
            } catch (Exception e) {
                failed(sha, e);
            }
        }
        String digest = HexFormat.of().formatHex(sha.digest());
        System.out.println("training path digest " + digest);
        assertEquals("7e1484fbe0d2ea47978216a139889e9a590152c74ea6757ea01d3fabd0945b89", digest);
    }

    private static String digest(List<DicomObject> fixtures, PreprocessingSpec spec) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (DicomObject dicom : fixtures) {
            try {
                add(sha, Preprocessing.of(spec).apply(dicom, 0));
            } catch (Exception e) {
                failed(sha, e);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** A failure counts by its type only: messages may be reworded without changing behaviour. */
    private static void failed(MessageDigest sha, Exception e) {
        System.out.println("  fails: " + e);
        sha.update(e.getClass().getName().getBytes(StandardCharsets.UTF_8));
    }

    private static void add(MessageDigest sha, FloatImage image) {
        ByteBuffer bytes = ByteBuffer.allocate(12 + 4 * image.data().length);
        bytes.putInt(image.channels()).putInt(image.height()).putInt(image.width());
        for (float f : image.data()) {
            bytes.putInt(Float.floatToRawIntBits(f));
        }
        sha.update(bytes.array());
    }

    /** Every native pixel fixture and the RLE and JPEG 2000 ones, in name order. */
    private static List<DicomObject> fixtures() throws Exception {
        List<DicomObject> out = new ArrayList<>();
        for (String folder : List.of("pixel", "rle", "jpeg2000")) {
            try (Stream<Path> files = Files.list(folder(folder))) {
                for (Path p : files.filter(f -> f.toString().endsWith(".dcm")).sorted().toList()) {
                    out.add(DicomReader.defaults().read(p));
                }
            }
        }
        assertEquals(true, out.size() > 60, "fixtures found: " + out.size());
        return out;
    }

    private static Path folder(String name) throws URISyntaxException {
        Path pixel = Path.of(PreprocessingGoldenTest.class.getResource("/fixtures/pixel/u8_3x3.dcm").toURI()).getParent();
        return pixel.resolveSibling(name);
    }
}
