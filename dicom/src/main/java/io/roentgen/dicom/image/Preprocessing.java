package io.roentgen.dicom.image;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.pixel.DicomPixels;
import io.roentgen.dicom.pixel.Frame;
import io.roentgen.dicom.pixel.FramePool;
import io.roentgen.dicom.pixel.PixelAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Applies a {@link PreprocessingSpec}: the one function between a DICOM frame and the model's
 * input, as a short list of named steps in the manner of MONAI's {@code Compose}. Only the steps
 * the spec asks for are in the list; {@link #toString()} prints it, e.g.
 * {@code decode -> window(FILE, invert MONOCHROME1) -> padToSquare(0.0) -> resize(224x224, auto) -> channels(1)}.
 *
 * <p>Entry points at three depths, the same steps behind each: {@link #apply(DicomObject, int)}
 * from a parsed instance, {@link #apply(Frame, PixelAttributes)} from decoded stored values, and
 * {@link #window}, {@link #geometry} and {@link #finish} for a tensor cache, which keeps the
 * deterministic part (up to and including {@code channels}) and runs training augmentation
 * between it and normalisation. Each step returns a new image or its input unchanged: steps add
 * no copies of their own. Immutable and thread-safe.
 */
public final class Preprocessing {
    /** Largest padded square built before resizing (64 Mi pixels, 256 MB of floats). */
    static final long MAX_PADDED_PIXELS = 1L << 26;

    /** One named image step. */
    public record Step(String name, UnaryOperator<FloatImage> function) {
        public FloatImage apply(FloatImage image) {
            return function.apply(image);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final PreprocessingSpec spec;
    private final List<Step> geometry;
    private final List<Step> finish;

    private Preprocessing(PreprocessingSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.geometry = geometrySteps(spec);
        this.finish = spec.normalization() == null ? List.of()
                : List.of(new Step("normalise(mean=" + spec.normalization().mean() + ", std="
                        + spec.normalization().std() + ")", spec.normalization()::apply));
    }

    public static Preprocessing of(PreprocessingSpec spec) {
        return new Preprocessing(spec);
    }

    public PreprocessingSpec spec() {
        return spec;
    }

    /** The name of every step, in the order they run. */
    public List<String> steps() {
        List<String> names = new ArrayList<>();
        names.add("decode");
        names.add(windowName());
        geometry.forEach(s -> names.add(s.name()));
        finish.forEach(s -> names.add(s.name()));
        return names;
    }

    @Override
    public String toString() {
        return String.join(" -> ", steps());
    }

    /** Every step on frame {@code frameIndex} of a parsed instance: the model input, float32 C x H x W. */
    public FloatImage apply(DicomObject dicom, int frameIndex) throws DicomException {
        return apply(window(dicom, frameIndex));
    }

    /** Every step after decoding, on a decoded frame with its header attributes. */
    public FloatImage apply(Frame frame, PixelAttributes attributes) throws DicomException {
        return apply(window(frame, attributes));
    }

    /** Every step after the window, without augmentation: evaluation and serving. */
    public FloatImage apply(FloatImage windowed) {
        return finish(geometry(windowed), Augmenter.OFF, 0, 0, 0);
    }

    /** Decode and window: what geometry, augmentation and caches start from. */
    public FloatImage window(DicomObject dicom, int frameIndex) throws DicomException {
        // The stored values live only until they are floats: their array goes back to the pool.
        FramePool pool = FramePool.shared();
        Frame frame = DicomPixels.frame(dicom, frameIndex, pool);
        try {
            return window(frame, DicomPixels.attributes(dicom));
        } finally {
            pool.release(frame);
        }
    }

    /** The window step alone on decoded stored values. */
    public FloatImage window(Frame frame, PixelAttributes attributes) throws DicomException {
        return Windowing.apply(frame, attributes, spec.voi(), spec.invertMonochrome1());
    }

    /** Pad, resize, crop and channels: the same output for the same input every time. */
    public FloatImage geometry(FloatImage windowed) {
        return run(geometry, windowed);
    }

    /** Training augmentation (identity when off), then normalisation, on a {@link #geometry} output. */
    public FloatImage finish(FloatImage geometryOutput, Augmenter augmenter, long seed, int epoch, long sampleIndex) {
        return run(finish, augmenter.apply(geometryOutput, seed, epoch, sampleIndex));
    }

    private static FloatImage run(List<Step> steps, FloatImage image) {
        FloatImage out = image;
        for (Step step : steps) {
            out = step.apply(out);
        }
        return out;
    }

    private String windowName() {
        String voi = switch (spec.voi().mode()) {
            case EXPLICIT -> String.format(Locale.ROOT, "EXPLICIT c=%s w=%s %s", spec.voi().center(),
                    spec.voi().width(), spec.voi().function());
            case PERCENTILE -> String.format(Locale.ROOT, "PERCENTILE %s-%s", spec.voi().lowPercentile(),
                    spec.voi().highPercentile());
            default -> spec.voi().mode().name();
        };
        return "window(" + voi + (spec.invertMonochrome1() ? ", invert MONOCHROME1)" : ")");
    }

    private static List<Step> geometrySteps(PreprocessingSpec spec) {
        List<Step> steps = new ArrayList<>();
        if (spec.padToSquare() != null) {
            float value = spec.padToSquare();
            steps.add(new Step("padToSquare(" + value + ")",
                    image -> Geometry.padToSquare(shrinkBeforePadding(image, spec.resize()), value)));
        }
        PreprocessingSpec.Resize resize = spec.resize();
        if (resize != null) {
            String size = resize.height() + "x" + resize.width();
            steps.add(new Step("resize(" + size + ", " + method(resize.method()) + ")",
                    image -> Resize.to(image, resize.height(), resize.width(), resize.method())));
        }
        PreprocessingSpec.ShorterSide shorter = spec.shorterSide();
        if (shorter != null) {
            steps.add(new Step("shorterSide(" + shorter.size() + ", " + method(shorter.method()) + ")",
                    image -> Resize.shorterSide(image, shorter.size(), shorter.method())));
        }
        PreprocessingSpec.CentreCrop crop = spec.centreCrop();
        if (crop != null) {
            steps.add(new Step("centreCrop(" + crop.height() + "x" + crop.width() + ")",
                    image -> Geometry.centreCrop(image, crop.height(), crop.width())));
        }
        int channels = spec.channels();
        if (channels != 0) {
            steps.add(new Step("channels(" + channels + ")", image -> Channels.convert(image, channels)));
        }
        return List.copyOf(steps);
    }

    private static String method(ResizeMethod method) {
        return method.name().toLowerCase(Locale.ROOT);
    }

    /**
     * An extreme aspect ratio (a 1 x 65535 strip) would pad to a square of billions of pixels
     * before the resize shrinks it. Past {@link #MAX_PADDED_PIXELS}, the image is first resized
     * with its aspect kept so that its longer side is the resize target's, then padded: the same
     * picture at the end, without the giant intermediate. Ordinary images are padded first, as
     * always, so their inputs do not change.
     */
    private static FloatImage shrinkBeforePadding(FloatImage image, PreprocessingSpec.Resize resize) {
        long side = Math.max(image.height(), image.width());
        if (side * side <= MAX_PADDED_PIXELS || resize == null) {
            return image;
        }
        int target = Math.max(resize.height(), resize.width());
        int height = (int) Math.max(1, Math.round((double) image.height() * target / side));
        int width = (int) Math.max(1, Math.round((double) image.width() * target / side));
        return Resize.to(image, height, width, resize.method());
    }
}
