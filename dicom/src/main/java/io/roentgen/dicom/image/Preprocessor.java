package io.roentgen.dicom.image;

/**
 * Applies a {@link TransformSpec}. Split in two so a tensor cache can hold the deterministic part:
 * {@link #geometry} (pad, resize, crop, channels) and {@link #finish} (augmentation, when training,
 * then normalisation).
 */
public final class Preprocessor {
    private final TransformSpec spec;

    public Preprocessor(TransformSpec spec) {
        this.spec = spec;
    }

    public TransformSpec spec() {
        return spec;
    }

    /** Every step, no augmentation: evaluation and serving. */
    /** Largest padded square built before resizing (64 Mi pixels, 256 MB of floats). */
    static final long MAX_PADDED_PIXELS = 1L << 26;

    public FloatImage apply(FloatImage image) {
        return finish(geometry(image), Augmenter.OFF, 0, 0, 0);
    }

    /** Every step with training augmentation drawn for {@code (seed, epoch, sampleIndex)}. */
    public FloatImage apply(FloatImage image, Augmenter augmenter, long seed, int epoch, long sampleIndex) {
        return finish(geometry(image), augmenter, seed, epoch, sampleIndex);
    }

    /** Pad, resize, crop and channel conversion: the same output for the same input every time. */
    public FloatImage geometry(FloatImage image) {
        FloatImage out = image;
        if (spec.padToSquare() != null) {
            out = Geometry.padToSquare(shrinkBeforePadding(out), spec.padToSquare());
        }
        if (spec.resize() != null) {
            out = Resize.to(out, spec.resize().height(), spec.resize().width(), spec.resize().method());
        }
        if (spec.shorterSide() != null) {
            out = Resize.shorterSide(out, spec.shorterSide().size(), spec.shorterSide().method());
        }
        if (spec.centreCrop() != null) {
            out = Geometry.centreCrop(out, spec.centreCrop().height(), spec.centreCrop().width());
        }
        if (spec.channels() != 0) {
            out = Channels.convert(out, spec.channels());
        }
        return out;
    }

    /**
     * An extreme aspect ratio (a 1 x 65535 strip) would pad to a square of billions of pixels
     * before the resize shrinks it. Past {@link #MAX_PADDED_PIXELS}, the image is first resized
     * with its aspect kept so that its longer side is the resize target's, then padded: the same
     * picture at the end, without the giant intermediate. Ordinary images are padded first, as
     * always, so their inputs do not change.
     */
    private FloatImage shrinkBeforePadding(FloatImage image) {
        long side = Math.max(image.height(), image.width());
        if (side * side <= MAX_PADDED_PIXELS || spec.resize() == null) {
            return image;
        }
        int target = Math.max(spec.resize().height(), spec.resize().width());
        int height = (int) Math.max(1, Math.round((double) image.height() * target / side));
        int width = (int) Math.max(1, Math.round((double) image.width() * target / side));
        return Resize.to(image, height, width, spec.resize().method());
    }

    /** Augmentation (identity when off) and normalisation of a {@link #geometry} output. */
    public FloatImage finish(FloatImage geometryOutput, Augmenter augmenter, long seed, int epoch, long sampleIndex) {
        FloatImage out = augmenter.apply(geometryOutput, seed, epoch, sampleIndex);
        if (spec.normalization() != null) {
            out = spec.normalization().apply(out);
        }
        return out;
    }
}
