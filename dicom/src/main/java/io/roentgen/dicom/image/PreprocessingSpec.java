package io.roentgen.dicom.image;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.roentgen.dicom.pixel.VoiFunction;
import io.roentgen.dicom.pixel.VoiSpec;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything between a frame's stored values and the model's input tensor, as data: the one spec
 * that training and serving share and that model bundles carry as JSON, so a file scores the same
 * everywhere. {@link Preprocessing} applies it as a short list of named steps, each optional but
 * the first two, in this order:
 * <ol>
 *   <li>{@code decode} the frame to stored values;
 *   <li>{@code window}: Modality LUT, then the VOI step chosen by {@code voi}, then MONOCHROME1
 *       inversion when {@code invertMonochrome1} (colour images: RGB scaled to [0, 1]);
 *   <li>{@code padToSquare}: pad to a square with this value;
 *   <li>{@code resize} to an exact size, or {@code shorterSide} (keep aspect ratio), not both;
 *   <li>{@code centreCrop};
 *   <li>{@code channels}: 1 or 3 (0 keeps the input's);
 *   <li>{@code normalization}: per-channel mean and std.
 * </ol>
 * Training augmentation, when on, runs before normalisation (see {@link Preprocessing#finish}).
 *
 * <p>JSON keeps the layout bundles have always had: the window settings under {@code "pixels"}, the
 * other steps under {@code "transform"}, e.g. {@code {"pixels":{"voi":{"mode":"FILE"},
 * "invertMonochrome1":true},"transform":{"padToSquare":0.0,"resize":{"height":224,"width":224,
 * "method":"auto"},"channels":1}}}. The text is also the tensor cache's key, so it is stable.
 */
public record PreprocessingSpec(
        VoiSpec voi,
        boolean invertMonochrome1,
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

    public PreprocessingSpec {
        Objects.requireNonNull(voi, "voi");
        if (resize != null && shorterSide != null) {
            throw new IllegalArgumentException("resize and shorterSide exclude each other");
        }
        if (channels != 0 && channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3 (0 keeps the input's), not " + channels);
        }
    }

    /** The window step only, no geometry: float32 in [0, 1] at the frame's own size. */
    public static PreprocessingSpec window(VoiSpec voi, boolean invertMonochrome1) {
        return new PreprocessingSpec(voi, invertMonochrome1, null, null, null, null, 0, null);
    }

    /** File window (or min-max), then pad to square, resize to {@code size}, {@code channels}. */
    public static PreprocessingSpec standard(int size, int channels) {
        return new PreprocessingSpec(VoiSpec.file(), true, 0f, new Resize(size, size, ResizeMethod.AUTO), null, null,
                channels, null);
    }

    /** ImageNet style: file window, shorter side to {@code resizeTo}, centre crop {@code crop}, RGB, ImageNet stats. */
    public static PreprocessingSpec imagenet(int resizeTo, int crop) {
        return new PreprocessingSpec(VoiSpec.file(), true, null, null, new ShorterSide(resizeTo, ResizeMethod.AUTO),
                new CentreCrop(crop, crop), 3, Normalization.imagenet());
    }

    public PreprocessingSpec withVoi(VoiSpec newVoi) {
        return new PreprocessingSpec(newVoi, invertMonochrome1, padToSquare, resize, shorterSide, centreCrop, channels,
                normalization);
    }

    public PreprocessingSpec withInvertMonochrome1(boolean invert) {
        return new PreprocessingSpec(voi, invert, padToSquare, resize, shorterSide, centreCrop, channels,
                normalization);
    }

    public PreprocessingSpec withNormalization(Normalization newNormalization) {
        return new PreprocessingSpec(voi, invertMonochrome1, padToSquare, resize, shorterSide, centreCrop, channels,
                newNormalization);
    }

    // ---------------------------------------------------------------- JSON

    /** The steps after the window, in the shape bundles store under "transform" (Gson keeps this order). */
    private record TransformJson(Float padToSquare, Resize resize, ShorterSide shorterSide, CentreCrop centreCrop,
            int channels, Normalization normalization) {}

    public String toJson() {
        return toJsonTree().toString();
    }

    public JsonObject toJsonTree() {
        JsonObject o = new JsonObject();
        o.add("pixels", pixelsJson());
        o.add("transform", JsonParser.parseString(GSON.toJson(
                new TransformJson(padToSquare, resize, shorterSide, centreCrop, channels, normalization))));
        return o;
    }

    /** Only the fields the VOI mode uses are written. */
    private JsonObject pixelsJson() {
        JsonObject v = new JsonObject();
        v.addProperty("mode", voi.mode().name());
        switch (voi.mode()) {
            case EXPLICIT -> {
                v.addProperty("center", voi.center());
                v.addProperty("width", voi.width());
                v.addProperty("function", voi.function().name());
            }
            case PERCENTILE -> {
                v.addProperty("lowPercentile", voi.lowPercentile());
                v.addProperty("highPercentile", voi.highPercentile());
            }
            default -> { }
        }
        JsonObject o = new JsonObject();
        o.add("voi", v);
        o.addProperty("invertMonochrome1", invertMonochrome1);
        return o;
    }

    /** Parses a spec written by {@link #toJson()}; a malformed one is an IllegalArgumentException. */
    public static PreprocessingSpec fromJson(String json) {
        try {
            return fromJsonTree(JsonParser.parseString(json).getAsJsonObject());
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException("preprocessing spec is not valid JSON: " + e.getMessage(), e);
        }
    }

    public static PreprocessingSpec fromJsonTree(JsonObject o) {
        if (!o.has("pixels") || !o.has("transform")) {
            throw new IllegalArgumentException("preprocessing spec needs \"pixels\" and \"transform\"");
        }
        JsonObject pixels = o.getAsJsonObject("pixels");
        VoiSpec voi = pixels.has("voi") ? voi(pixels.getAsJsonObject("voi")) : VoiSpec.file();
        boolean invert = !pixels.has("invertMonochrome1") || pixels.get("invertMonochrome1").getAsBoolean();
        TransformJson t = SpecJson.read(GSON, o.get("transform").toString(), TransformJson.class, "transform spec");
        return new PreprocessingSpec(voi, invert, t.padToSquare(), t.resize(), t.shorterSide(), t.centreCrop(),
                t.channels(), t.normalization());
    }

    /** Missing fields take the defaults: FILE window, MONOCHROME1 inverted, LINEAR function. */
    private static VoiSpec voi(JsonObject v) {
        String mode = v.has("mode") ? v.get("mode").getAsString().toUpperCase(Locale.ROOT) : "FILE";
        return switch (mode) {
            case "FILE" -> VoiSpec.file();
            case "MINMAX" -> VoiSpec.minMax();
            case "EXPLICIT" -> VoiSpec.explicit(number(v, "center"), number(v, "width"),
                    v.has("function") ? VoiFunction.valueOf(v.get("function").getAsString().toUpperCase(Locale.ROOT))
                            : VoiFunction.LINEAR);
            case "PERCENTILE" -> VoiSpec.percentile(number(v, "lowPercentile"), number(v, "highPercentile"));
            default -> throw new IllegalArgumentException("unknown VOI mode '" + mode
                    + "' (FILE, EXPLICIT, PERCENTILE or MINMAX)");
        };
    }

    private static double number(JsonObject o, String name) {
        if (!o.has(name)) {
            throw new IllegalArgumentException("VOI mode " + o.get("mode").getAsString() + " needs '" + name + "'");
        }
        return o.get(name).getAsDouble();
    }

    private static void requirePositive(int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("sizes must be positive: " + height + "x" + width);
        }
    }
}
