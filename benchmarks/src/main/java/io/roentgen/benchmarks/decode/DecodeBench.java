package io.roentgen.benchmarks.decode;

import io.roentgen.datasets.dicom.DicomException;
import io.roentgen.datasets.dicom.DicomObject;
import io.roentgen.datasets.dicom.DicomReader;
import io.roentgen.datasets.pixel.DicomPixels;
import io.roentgen.datasets.pixel.Frame;
import io.roentgen.datasets.pixel.ImageDescriptor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read + decode throughput: each file is read from the page cache, parsed and every frame decoded
 * to stored values, the work a training loader or the server does per file. Files are grouped by
 * transfer syntax; the first pass warms the JIT and the page cache and is not counted.
 */
public final class DecodeBench {
    private final DicomReader reader = DicomReader.defaults();

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

    /** Runs {@code repetitions} timed passes after one warm-up pass. */
    public Result run(String syntaxUid, String syntaxName, List<Path> files, int repetitions)
            throws IOException, DicomException {
        long bytes = pass(files);
        List<Pass> passes = new ArrayList<>();
        for (int r = 0; r < repetitions; r++) {
            long t0 = System.nanoTime();
            pass(files);
            passes.add(new Pass((System.nanoTime() - t0) / 1e9, files.size(), bytes));
        }
        return new Result(syntaxUid, syntaxName, files.size(), bytes, passes);
    }

    private long pass(List<Path> files) throws IOException, DicomException {
        long bytes = 0;
        long checksum = 0;
        for (Path file : files) {
            DicomObject dicom = reader.read(file);
            ImageDescriptor image = dicom.imageDescriptor();
            for (int f = 0; f < image.frames(); f++) {
                Frame frame = DicomPixels.frame(dicom, f);
                checksum += frame.samples()[frame.samples().length / 2];
            }
            bytes += image.nativeFrameBytes() * image.frames();
        }
        if (checksum == 42) {
            System.out.print(""); // keeps the JIT from discarding the decoded frames
        }
        return bytes;
    }
}
