package io.roentgen.dicom.codec.jpeg;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.codec.PixelDecoder;
import io.roentgen.dicom.ImageDescriptor;

/**
 * The shared entry point of the JPEG decoders: every supported process (baseline, extended,
 * lossless) goes through one parser, so a stream whose transfer syntax label is wrong (an SOF1
 * stream in a baseline file, a baseline stream in an extended one) still decodes by what its frame
 * header says.
 */
abstract class AbstractJpegDecoder implements PixelDecoder {

    @Override
    public DecodedFrame decode(byte[] encodedFrame, ImageDescriptor image) throws DicomException {
        if (encodedFrame == null || image == null) {
            throw new DicomException("JPEG: no frame data or no image description");
        }
        try {
            return new JpegFrameDecoder(encodedFrame, image).decode();
        } catch (RuntimeException e) {
            // Defensive: the decoder checks its input, but a hostile stream must never escape as an
            // unchecked exception. The cause is kept so tests can tell such a gap from a clean refusal.
            throw new DicomException("JPEG: internal decoder error on a corrupt stream: " + e, e);
        }
    }
}
