package io.roentgen.engine.torch;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * The number format a network computes in. {@link #FP32} is plain float; {@link #BF16} and
 * {@link #FP16} run convolutions and matrix products in the 16-bit type under libtorch's
 * autocast ({@link Autocast}), with weights kept in fp32.
 */
public enum Precision {
    FP32(DataType.FLOAT32, 6),
    BF16(DataType.BFLOAT16, 15),
    FP16(DataType.FLOAT16, 5);

    private final DataType dataType;
    private final int scalarType;

    Precision(DataType dataType, int scalarType) {
        this.dataType = dataType;
        this.scalarType = scalarType;
    }

    /** The DJL type the low-precision operators produce. */
    public DataType dataType() {
        return dataType;
    }

    /** c10::ScalarType's number for this type (what at::autocast::set_autocast_dtype takes). */
    int scalarType() {
        return scalarType;
    }

    /** Whether this precision computes in a 16-bit type (needs autocast). */
    public boolean isReduced() {
        return this != FP32;
    }

    /** The flag's spelling: fp32, bf16, fp16. */
    public String flagName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses fp32, bf16 or fp16 (any case); a clear error for anything else. */
    public static Precision parse(String text) {
        for (Precision p : values()) {
            if (p.flagName().equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + text + "' (expected fp32, bf16 or fp16)");
    }
}
