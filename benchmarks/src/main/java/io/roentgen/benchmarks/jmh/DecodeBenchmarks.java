package io.roentgen.benchmarks.jmh;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.codec.PixelDecoder;
import io.roentgen.dicom.codec.jpeg.JpegLosslessDecoder;
import io.roentgen.dicom.codec.rle.RleDecoder;
import io.roentgen.dicom.pixel.Frame;
import io.roentgen.dicom.pixel.NativePixelDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * Decoding one 512x512 16-bit CT frame to stored values: the native path (BitsStored masking),
 * RLE Lossless, and JPEG Lossless (SV1). Each returns the decoded result, so JMH consumes it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecodeBenchmarks {
    private final PixelDecoder rleDecoder = new RleDecoder();
    private final PixelDecoder jpegDecoder = new JpegLosslessDecoder();
    private byte[] nativeBytes;
    private byte[] rle;
    private byte[] jpeg;

    @Setup
    public void setUp() throws DicomException {
        nativeBytes = CtFrame.storedWithHighBitNoise();
        rle = CtFrame.rle();
        jpeg = CtFrame.jpegLossless();
    }

    @Benchmark
    public Frame nativeMasked() throws DicomException {
        return NativePixelDecoder.decodeFrame(nativeBytes, 0, nativeBytes.length, ByteOrder.LITTLE_ENDIAN,
                CtFrame.IMAGE, 0);
    }

    @Benchmark
    public byte[] rleLossless() throws DicomException {
        return rleDecoder.decode(rle, CtFrame.IMAGE).nativeBytes();
    }

    @Benchmark
    public byte[] jpegLossless() throws DicomException {
        return jpegDecoder.decode(jpeg, CtFrame.IMAGE).nativeBytes();
    }
}
