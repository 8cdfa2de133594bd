package io.roentgen.dicom.codec.jpeg;

import java.util.Set;

/**
 * JPEG Baseline (Process 1), transfer syntax 1.2.840.10008.1.2.4.50: 8-bit Huffman sequential
 * DCT, greyscale or colour. YBR_FULL / YBR_FULL_422 / YBR_PARTIAL_422 frames come back converted to
 * RGB (photometric "RGB"), as dcmtk's dcmdjpeg does by default.
 */
public final class JpegBaselineDecoder extends AbstractJpegDecoder {
    public static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";

    @Override
    public Set<String> transferSyntaxUids() {
        return Set.of(JPEG_BASELINE);
    }
}
