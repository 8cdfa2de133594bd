package io.roentgen.benchmarks.jmh;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.pixel.Frame;
import io.roentgen.dicom.pixel.NativePixelDecoder;
import io.roentgen.dicom.image.Preprocessing;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.dicom.pixel.VoiSpec;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.image.Normalization;
import io.roentgen.dicom.image.Resize;
import io.roentgen.dicom.image.ResizeMethod;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The pixel path after decoding, on one 512x512 CT frame: the window step of {@link Preprocessing} (modality
 * rescale, a fixed soft-tissue window, float32 in [0, 1]), {@link Resize} to 224x224 (area
 * averaging when shrinking, as training and serving do), and every step of a training spec
 * after decoding (window, pad to square, resize 224, one channel, normalise).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PixelBenchmarks {
    private final Preprocessing pipeline = Preprocessing.of(PreprocessingSpec.window(VoiSpec.explicit(40, 400), true));
    private final Preprocessing training = Preprocessing.of(PreprocessingSpec.standard(224, 1)
            .withVoi(VoiSpec.explicit(40, 400)).withNormalization(new Normalization(List.of(0.5f), List.of(0.25f))));
    private Frame frame;
    private FloatImage windowed;

    @Setup
    public void setUp() throws DicomException {
        byte[] stored = CtFrame.stored();
        frame = NativePixelDecoder.decodeFrame(stored, 0, stored.length, ByteOrder.LITTLE_ENDIAN, CtFrame.IMAGE, 0);
        windowed = pipeline.apply(frame, CtFrame.ATTRIBUTES);
    }

    @Benchmark
    public FloatImage pipelineWindowToFloat() throws DicomException {
        return pipeline.apply(frame, CtFrame.ATTRIBUTES);
    }

    @Benchmark
    public FloatImage preprocessTo224() throws DicomException {
        return training.apply(frame, CtFrame.ATTRIBUTES);
    }

    @Benchmark
    public FloatImage resizeTo224() {
        return Resize.to(windowed, 224, 224, ResizeMethod.AUTO);
    }
}
