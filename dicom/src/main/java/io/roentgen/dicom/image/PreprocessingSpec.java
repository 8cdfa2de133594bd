package io.roentgen.dicom.image;

import io.roentgen.dicom.pixel.DicomPixels;
import io.roentgen.dicom.pixel.Frame;
import io.roentgen.dicom.pixel.FramePool;
import io.roentgen.dicom.pixel.PixelAttributes;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.image.Preprocessor;
import io.roentgen.dicom.image.TransformSpec;

/**
 * Everything between a decoded DICOM frame and the model's input tensor, as data: the
 * {@link PixelPipeline} (modality LUT, VOI window, MONOCHROME1 inversion, colour to RGB) followed
 * by the {@link TransformSpec} (pad, resize, crop, channels, normalisation). Training and serving
 * apply the same spec; model bundles carry it as JSON so a file scores the same everywhere.
 */
public record PreprocessingSpec(PixelPipeline pixels, TransformSpec transform) {

    public PreprocessingSpec {
        if (pixels == null || transform == null) {
            throw new IllegalArgumentException("a preprocessing spec needs both pixels and transform");
        }
    }

    /** File window (or min-max), then pad to square, resize to {@code size}, {@code channels}. */
    public static PreprocessingSpec standard(int size, int channels) {
        return new PreprocessingSpec(PixelPipeline.defaults(), TransformSpec.padAndResize(size, channels));
    }

    /** The model input for frame {@code frameIndex} of a parsed instance, float32 C x H x W. */
    public FloatImage apply(DicomObject dicom, int frameIndex) throws DicomException {
        return new Preprocessor(transform).apply(pixelsOnly(dicom, frameIndex));
    }

    /** The model input for a decoded frame with its header attributes. */
    public FloatImage apply(Frame frame, PixelAttributes attributes) throws DicomException {
        return new Preprocessor(transform).apply(pixels.apply(frame, attributes));
    }

    /** The pixel-pipeline output before any geometry: what augmentation and caches start from. */
    public FloatImage pixelsOnly(DicomObject dicom, int frameIndex) throws DicomException {
        // The stored values live only until they are floats: their array goes back to the pool.
        FramePool pool = FramePool.shared();
        Frame frame = DicomPixels.frame(dicom, frameIndex, pool);
        try {
            return pixels.apply(frame, DicomPixels.attributes(dicom));
        } finally {
            pool.release(frame);
        }
    }

    public String toJson() {
        return toJsonTree().toString();
    }

    public JsonObject toJsonTree() {
        JsonObject o = new JsonObject();
        o.add("pixels", pixels.toJsonTree());
        o.add("transform", JsonParser.parseString(transform.toJson()));
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
        return new PreprocessingSpec(PixelPipeline.fromJsonTree(o.getAsJsonObject("pixels")),
                TransformSpec.fromJson(o.get("transform").toString()));
    }
}
