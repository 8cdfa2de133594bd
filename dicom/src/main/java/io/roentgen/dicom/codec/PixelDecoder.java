package io.roentgen.dicom.codec;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.ImageDescriptor;

import java.util.Set;

/**
 * Decodes one compressed (encapsulated) frame into native pixel bytes, so that everything after
 * decompression is the same code path as for uncompressed pixel data. Implementations are
 * thread-safe and keep no state that changes what they decode (at most whether a warning was
 * logged): frames of one file may be decoded in parallel.
 */
public interface PixelDecoder {

    /** The transfer syntax UIDs this decoder handles. */
    Set<String> transferSyntaxUids();

    /**
     * @param encodedFrame the frame's bit stream, its fragments already concatenated
     * @param image        the Image Pixel module of the instance the frame belongs to
     * @return the frame in native layout: little endian, bitsAllocated per sample (8, 16 or 32),
     *     samples interleaved (planar configuration 0), stored values in the low bitsStored bits
     * @throws DicomException when the bit stream is corrupt, truncated or does not match the image
     *     (never a RuntimeException, never a hang, never more memory than the image justifies)
     */
    DecodedFrame decode(byte[] encodedFrame, ImageDescriptor image) throws DicomException;

    /**
     * A decoded frame.
     *
     * @param nativeBytes exactly {@code rows * columns * samples * bitsAllocated / 8} bytes
     * @param photometric the photometric interpretation of the decoded samples: a codec that
     *     converts colour (JPEG baseline YBR to RGB) says so here, others return the input's
     */
    record DecodedFrame(byte[] nativeBytes, String photometric) {}
}
