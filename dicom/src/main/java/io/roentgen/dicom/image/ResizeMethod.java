package io.roentgen.dicom.image;

import com.google.gson.annotations.SerializedName;

/** How {@link Resize} computes a sample. */
public enum ResizeMethod {
    /** Bilinear interpolation with half-pixel centres (PyTorch {@code align_corners=False}, no antialias). */
    @SerializedName("bilinear")
    BILINEAR,
    /** The average over the source area each output pixel covers (OpenCV INTER_AREA): no aliasing when shrinking. */
    @SerializedName("area")
    AREA,
    /** AREA when shrinking an axis, BILINEAR otherwise. */
    @SerializedName("auto")
    AUTO
}
