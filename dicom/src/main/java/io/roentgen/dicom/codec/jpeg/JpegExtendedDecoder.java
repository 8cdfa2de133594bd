package io.roentgen.dicom.codec.jpeg;

import java.util.Set;

/**
 * JPEG Extended (Processes 2 and 4), transfer syntax 1.2.840.10008.1.2.4.51: 8- and 12-bit
 * Huffman sequential DCT (12-bit greyscale is common in older CT and MR).
 */
public final class JpegExtendedDecoder extends AbstractJpegDecoder {
    public static final String JPEG_EXTENDED = "1.2.840.10008.1.2.4.51";

    @Override
    public Set<String> transferSyntaxUids() {
        return Set.of(JPEG_EXTENDED);
    }
}
