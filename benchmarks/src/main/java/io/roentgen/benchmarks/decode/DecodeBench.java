package io.roentgen.benchmarks.decode;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.pixel.DicomPixels;
import io.roentgen.dicom.pixel.Frame;
import io.roentgen.dicom.pixel.FramePool;
import io.roentgen.dicom.ImageDescriptor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Read + decode throughput: each file is read from the page cache, parsed and every frame decoded
 * to stored values, the work a training loader or the server does per file. Files are grouped by
 * transfer syntax; warm-up passes (at least one, and at least {@link #DEFAULT_WARM_UP_SECONDS}
 * seconds of them by default) fill the page cache and let the JIT finish compiling the decode
 * loops before anything is timed: with one short warm-up pass the first timed passes of large
 * images still ran partly interpreted, about a third slower than the steady state.
 *
 * <p>A frame is done when {@link DicomPixels#frame} returns it: 16-bit frames stay 16-bit
 * ({@link Frame#shortSamples()}, like pydicom's uint16 {@code pixel_array}); one sample is read
 * through {@link Frame#sample(int)} so the work cannot be optimised away, and nothing widens it.
 */
public final class DecodeBench {
    /** Warm-up time before the timed passes unless the caller says otherwise. */
    public static final double DEFAULT_WARM_UP_SECONDS = 2.0;

    private final DicomReader reader = DicomReader.defaults();
    /** Where frames are decoded into, or null to allocate a new array per frame. */
    private final FramePool pool;

    /** Decodes into recycled arrays, as the training loader and the server do ({@link FramePool}). */
    public DecodeBench() {
        this(true);
    }

    /** {@code pooledFrames} false: a new array per frame, the cost of a caller that keeps every frame. */
    public DecodeBench(boolean pooledFrames) {
        this.pool = pooledFrames ? new FramePool(FramePool.DEFAULT_MAX_BYTES) : null;
    }

    /** One timed pass over a group of files. */
    public record Pass(double seconds, long files, long pixelBytes) {
        public double filesPerSecond() {
            return files / seconds;
        }

        public double megabytesPerSecond() {
            return pixelBytes / 1e6 / seconds;
        }
    }

    /** The figures for one transfer syntax: every repetition, so callers can take medians. */
    public record Result(String transferSyntaxUid, String transferSyntaxName, int files, long pixelBytesPerPass,
            List<Pass> passes) {}

    /** Groups files by transfer syntax (header-only read). Unreadable files are reported and left out. */
    public Map<String, List<Path>> groupBySyntax(List<Path> files, List<String> problems) {
        DicomReader headers = DicomReader.builder().stopBeforePixelData(true).build();
        Map<String, List<Path>> groups = new LinkedHashMap<>();
        for (Path file : files) {
            try {
                String uid = headers.read(file).transferSyntax().uid();
                groups.computeIfAbsent(uid, k -> new ArrayList<>()).add(file);
            } catch (IOException | DicomException e) {
                problems.add(file + ": " + e.getMessage());
            }
        }
        return groups;
    }

    /** Runs {@code repetitions} timed single-threaded passes after the default warm-up. */
    public Result run(String syntaxUid, String syntaxName, List<Path> files, int repetitions)
            throws IOException, DicomException {
        return run(syntaxUid, syntaxName, files, repetitions, 1, DEFAULT_WARM_UP_SECONDS);
    }

    /**
     * Runs {@code repetitions} timed passes after the warm-up, each pass reading the files on
     * {@code threads} threads (each takes the next file not yet taken, as a parallel loader does).
     */
    public Result run(String syntaxUid, String syntaxName, List<Path> files, int repetitions, int threads,
            double warmUpSeconds) throws IOException, DicomException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        ExecutorService pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-decode");
            t.setDaemon(true);
            return t;
        });
        try {
            long warmUpEnd = System.nanoTime() + (long) (warmUpSeconds * 1e9);
            long bytes;
            do {
                bytes = pass(files, pool, threads);
            } while (System.nanoTime() < warmUpEnd);
            List<Pass> passes = new ArrayList<>();
            for (int r = 0; r < repetitions; r++) {
                long t0 = System.nanoTime();
                pass(files, pool, threads);
                passes.add(new Pass((System.nanoTime() - t0) / 1e9, files.size(), bytes));
            }
            return new Result(syntaxUid, syntaxName, files.size(), bytes, passes);
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private long pass(List<Path> files, ExecutorService pool, int threads) throws IOException, DicomException {
        if (pool == null) {
            return pass(files, new AtomicInteger());
        }
        AtomicInteger next = new AtomicInteger();
        List<Future<Long>> workers = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> pass(files, next)));
        }
        long bytes = 0;
        for (Future<Long> worker : workers) {
            try {
                bytes += worker.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof DicomException de) {
                    throw de;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        return bytes;
    }

    /** Reads and decodes files until none is left; returns the pixel bytes this caller decoded. */
    private long pass(List<Path> files, AtomicInteger next) throws IOException, DicomException {
        long bytes = 0;
        long checksum = 0;
        for (int i = next.getAndIncrement(); i < files.size(); i = next.getAndIncrement()) {
            Path file = files.get(i);
            DicomObject dicom = reader.read(file);
            ImageDescriptor image = dicom.imageDescriptor();
            for (int f = 0; f < image.frames(); f++) {
                Frame frame = pool == null ? DicomPixels.frame(dicom, f) : DicomPixels.frame(dicom, f, pool);
                checksum += frame.sample(frame.pixelCount() / 2);
                if (pool != null) {
                    pool.release(frame);
                }
            }
            bytes += image.nativeFrameBytes() * image.frames();
        }
        if (checksum == 42) {
            System.out.print(""); // keeps the JIT from discarding the decoded frames
        }
        return bytes;
    }
}
