package io.roentgen.dicom.codec.rle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roentgen.dicom.codec.PixelDecoder.DecodedFrame;
import io.roentgen.dicom.testing.MinimumCount;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Files compressed by dcmtk (dcmcrle) and GDCM (gdcmconv --rle) decode to the exact source pixels. */
class RleDecoderConformanceTest {

    static Stream<Arguments> files() {
        List<Arguments> files = RleFixtures.all().stream()
                .flatMap(c -> c.tools().stream().map(t -> Arguments.of(c, t))).toList();
        return MinimumCount.atLeast(20, files, "RLE files (fixture x tool)").stream();
    }

    @ParameterizedTest(name = "{0} by {1}")
    @MethodSource("files")
    void decodesToolkitFilesExactly(RleFixtures fixture, String tool) throws Exception {
        List<byte[]> frames = fixture.frames(tool);
        assertEquals(fixture.image().frames(), frames.size());
        RleDecoder decoder = new RleDecoder();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            DecodedFrame decoded = decoder.decode(frame, fixture.image());
            assertEquals(fixture.image().nativeFrameBytes(), decoded.nativeBytes().length);
            assertEquals(fixture.image().photometric(), decoded.photometric());
            all.writeBytes(decoded.nativeBytes());
        }
        assertArrayEquals(fixture.source(), all.toByteArray());
    }
}
