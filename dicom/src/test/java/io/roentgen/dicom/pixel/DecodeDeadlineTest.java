package io.roentgen.dicom.pixel;

import io.roentgen.dicom.ImageDescriptor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roentgen.dicom.DecodeTimeoutException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.codec.DecodeDeadline;
import io.roentgen.dicom.codec.PixelDecoder;
import io.roentgen.dicom.testing.EncapsulatedFrames;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * A decode deadline that has passed stops decoding with {@link DecodeTimeoutException}, in every
 * codec (checked inside its own loops, and for JPEG 2000 in the stream JJ2000 reads), through
 * {@link DicomPixels} and on its executor's threads; without a deadline, or once its scope is
 * closed, the same files decode.
 */
class DecodeDeadlineTest {
    private static final String[] ONE_PER_CODEC = {
        "jpeg2000/u16_255x129.gdcm.dcm", "rle/gray8_511x257.dcmtk.dcm", "jpeg/b_g8.dcm", "jpegls/dcmtk_ll_gray12.dcm"
    };

    @ParameterizedTest
    @ValueSource(strings = {"jpeg2000/u16_255x129.gdcm.dcm", "rle/gray8_511x257.dcmtk.dcm", "jpeg/b_g8.dcm",
        "jpegls/dcmtk_ll_gray12.dcm", "jpeg/b_g8rst.dcm", "jpeg/gl_g16.dcm"})
    void eachCodecStopsAtAPassedDeadline(String fixture) throws Exception {
        DicomObject dicom = read(fixture);
        ImageDescriptor image = dicom.imageDescriptor();
        PixelDecoder decoder = PixelDecoders.forTransferSyntax(dicom.transferSyntax());
        byte[] frame = EncapsulatedFrames.frames(Files.readAllBytes(path(fixture)), image.frames()).get(0);
        try (DecodeDeadline.Scope passed = DecodeDeadline.until(System.nanoTime() - 1)) {
            DecodeTimeoutException e = assertThrows(DecodeTimeoutException.class,
                    () -> decoder.decode(frame, image.withFrames(1)));
            assertTrue(e.getMessage().contains("deadline"), e.getMessage());
        }
        assertEquals(image.nativeFrameBytes(), decoder.decode(frame, image.withFrames(1)).nativeBytes().length,
                "decodes again once the deadline's scope is closed");
    }

    @Test
    void dicomPixelsHonoursTheDeadlineAndAFutureOneDecodes() throws Exception {
        for (String fixture : ONE_PER_CODEC) {
            DicomObject dicom = read(fixture);
            try (DecodeDeadline.Scope passed = DecodeDeadline.until(System.nanoTime() - 1)) {
                assertThrows(DecodeTimeoutException.class, () -> DicomPixels.frame(dicom, 0), fixture);
            }
            try (DecodeDeadline.Scope ample = DecodeDeadline.until(System.nanoTime() + TimeUnit.MINUTES.toNanos(10))) {
                assertEquals(dicom.imageDescriptor().rows(), DicomPixels.frame(dicom, 0).rows(), fixture);
            }
        }
    }

    @Test
    void framesOnAnExecutorCarryTheDeadline() throws Exception {
        DicomObject dicom = read("jpeg2000/u16_64x64_f3.gdcm.dcm");
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try (DecodeDeadline.Scope passed = DecodeDeadline.until(System.nanoTime() - 1)) {
            assertThrows(DecodeTimeoutException.class, () -> DicomPixels.frames(dicom, executor));
        } finally {
            executor.shutdownNow();
            assertTrue(executor.awaitTermination(30, TimeUnit.SECONDS));
        }
        List<Frame> frames = DicomPixels.frames(dicom, null);
        assertEquals(3, frames.size());
    }

    @Test
    void scopesNestAndRestore() throws Exception {
        try (DecodeDeadline.Scope outer = DecodeDeadline.until(System.nanoTime() - 1)) {
            try (DecodeDeadline.Scope inner = DecodeDeadline.until(System.nanoTime() + TimeUnit.MINUTES.toNanos(10))) {
                DecodeDeadline.check();
            }
            assertThrows(DecodeTimeoutException.class, DecodeDeadline::check);
        }
        DecodeDeadline.check();
    }

    private static DicomObject read(String fixture) throws Exception {
        return DicomReader.defaults().read(path(fixture));
    }

    private static Path path(String fixture) throws Exception {
        return Path.of(DecodeDeadlineTest.class.getResource("/fixtures/" + fixture).toURI());
    }
}
