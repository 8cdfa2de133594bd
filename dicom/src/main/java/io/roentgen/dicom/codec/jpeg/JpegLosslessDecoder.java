package io.roentgen.dicom.codec.jpeg;

import java.util.Set;

/**
 * JPEG Lossless, Non-Hierarchical (Process 14), transfer syntaxes 1.2.840.10008.1.2.4.57 (any
 * predictor) and 1.2.840.10008.1.2.4.70 (First-Order Prediction, selection value 1): 2 to 16 bits,
 * point transform, restart intervals, one or three components. The stored values come back exactly
 * as encoded (shifted back by the point transform), never colour-converted.
 */
public final class JpegLosslessDecoder extends AbstractJpegDecoder {
    public static final String JPEG_LOSSLESS = "1.2.840.10008.1.2.4.57";
    public static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";

    @Override
    public Set<String> transferSyntaxUids() {
        return Set.of(JPEG_LOSSLESS, JPEG_LOSSLESS_SV1);
    }
}
