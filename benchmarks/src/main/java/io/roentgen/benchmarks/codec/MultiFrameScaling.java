package io.roentgen.benchmarks.codec;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.pixel.DicomPixels;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Frames/s of decoding one multi-frame file with 1..N threads ({@link DicomPixels#frames} with a
 * pool), to show that multi-frame decode scales with cores. Each setting: a time-based warm-up,
 * then {@code repetitions} timed decodes of the whole file; prints the median.
 *
 * <p>{@code java -cp roentgen.jar io.roentgen.benchmarks.codec.MultiFrameScaling FILE [maxThreads] [repetitions]}
 */
public final class MultiFrameScaling {
    private MultiFrameScaling() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int maxThreads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        DicomObject dicom = DicomReader.defaults().read(file);
        int frames = DicomPixels.frameCount(dicom);
        System.out.printf(Locale.ROOT, "%s: %d frames, %s%n", file.getFileName(), frames, dicom.transferSyntax().name());
        for (int threads = 1; threads <= maxThreads; threads++) {
            ExecutorService pool = threads == 1 ? null : Executors.newFixedThreadPool(threads);
            try {
                long end = System.nanoTime() + 2_000_000_000L;
                while (System.nanoTime() < end) {
                    DicomPixels.frames(dicom, pool);
                }
                double[] fps = new double[repetitions];
                for (int r = 0; r < repetitions; r++) {
                    long t0 = System.nanoTime();
                    DicomPixels.frames(dicom, pool);
                    fps[r] = frames / ((System.nanoTime() - t0) / 1e9);
                }
                Arrays.sort(fps);
                System.out.printf(Locale.ROOT, "threads %d: median %.1f frames/s (min %.1f, max %.1f)%n",
                        threads, fps[repetitions / 2], fps[0], fps[repetitions - 1]);
            } finally {
                if (pool != null) {
                    pool.shutdownNow();
                }
            }
        }
    }
}
