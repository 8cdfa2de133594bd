package io.roentgen.dicom.image;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/**
 * The preprocessing after the pixel pipeline, as data: saved as JSON in model bundles so training
 * and serving apply the same steps. Steps run in this fixed order, each optional:
 * <ol>
 *   <li>{@code padToSquare}: pad to a square with this value;
 *   <li>{@code resize} to an exact size, or {@code shorterSide} (keep aspect ratio), not both;
 *   <li>{@code centreCrop};
 *   <li>{@code channels}: 1 or 3 (0 keeps the input's);
 *   <li>{@code normalization}: per-channel mean and std.
 * </ol>
 * Training augmentation, when on, runs between steps 4 and 5 (see {@link Preprocessor}).
 */
public record TransformSpec(
        Float padToSquare,
        Resize resize,
        ShorterSide shorterSide,
        CentreCrop centreCrop,
        int channels,
        Normalization normalization) {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    /** Resize to exactly {@code height x width}. */
    public record Resize(int height, int width, ResizeMethod method) {
        public Resize {
            requirePositive(height, width);
            method = method == null ? ResizeMethod.AUTO : method;
        }
    }

    /** Resize so that the shorter side is {@code size}, keeping the aspect ratio. */
    public record ShorterSide(int size, ResizeMethod method) {
        public ShorterSide {
            requirePositive(size, size);
            method = method == null ? ResizeMethod.AUTO : method;
        }
    }

    /** Keep the centred {@code height x width} window. */
    public record CentreCrop(int height, int width) {
        public CentreCrop {
            requirePositive(height, width);
        }
    }

    public TransformSpec {
        if (resize != null && shorterSide != null) {
            throw new IllegalArgumentException("resize and shorterSide exclude each other");
        }
        if (channels != 0 && channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3 (0 keeps the input's), not " + channels);
        }
    }

    /** Nothing: the image passes unchanged. */
    public static TransformSpec identity() {
        return new TransformSpec(null, null, null, null, 0, null);
    }

    /** Pad to square, area/bilinear resize to {@code size x size}, {@code channels} channels, no normalisation. */
    public static TransformSpec padAndResize(int size, int channels) {
        return new TransformSpec(0f, new Resize(size, size, ResizeMethod.AUTO), null, null, channels, null);
    }

    /** ImageNet style: shorter side to {@code resizeTo}, centre crop {@code crop}, RGB, ImageNet statistics. */
    public static TransformSpec imagenet(int resizeTo, int crop) {
        return new TransformSpec(null, null, new ShorterSide(resizeTo, ResizeMethod.AUTO),
                new CentreCrop(crop, crop), 3, Normalization.imagenet());
    }

    public TransformSpec withNormalization(Normalization newNormalization) {
        return new TransformSpec(padToSquare, resize, shorterSide, centreCrop, channels, newNormalization);
    }

    /** Compact JSON; absent steps are left out. Field order is declaration order, hence stable. */
    public String toJson() {
        return GSON.toJson(this);
    }

    public static TransformSpec fromJson(String json) {
        return SpecJson.read(GSON, json, TransformSpec.class, "transform spec");
    }

    private static void requirePositive(int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("sizes must be positive: " + height + "x" + width);
        }
    }
}
