package io.roentgen.datasets.transform;

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
            out = Geometry.padToSquare(out, spec.padToSquare());
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

    /** Augmentation (identity when off) and normalisation of a {@link #geometry} output. */
    public FloatImage finish(FloatImage geometryOutput, Augmenter augmenter, long seed, int epoch, long sampleIndex) {
        FloatImage out = augmenter.apply(geometryOutput, seed, epoch, sampleIndex);
        if (spec.normalization() != null) {
            out = spec.normalization().apply(out);
        }
        return out;
    }
}
