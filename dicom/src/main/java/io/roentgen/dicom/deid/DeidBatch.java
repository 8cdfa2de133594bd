package io.roentgen.dicom.deid;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.TransferSyntax;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * De-identifies files and folders into an output folder, on a small fixed pool of threads.
 * Outputs are named by their new UIDs ({@code OUT/study/series/instance.dcm}), so no input path
 * (which often holds a patient's name) reaches the output. Each is written under a temporary
 * name and renamed when complete, so a run that stops can be run again: outputs that exist are
 * complete and are skipped. Sources are only read.
 */
public final class DeidBatch {
    /** What happened to one input file that was not de-identified. */
    public record Problem(Path file, String reason) {
        /** As plain data for JSON, path then reason (ordered: a {@code Map.of}'s order changes from run to run). */
        public Map<String, String> asMap() {
            Map<String, String> o = new LinkedHashMap<>();
            o.put("path", file.toString());
            o.put("reason", reason);
            return o;
        }
    }

    /** The counts and problems of a run. */
    public record Report(int total, int written, int skipped, List<Problem> refused, List<Problem> failed,
            long bytesRead, double seconds) {
        public double filesPerSecond() {
            return written / Math.max(seconds, 1e-9);
        }

        public double megabytesPerSecond() {
            return bytesRead / 1e6 / Math.max(seconds, 1e-9);
        }

        /** The report as plain data (for JSON). */
        public Map<String, Object> asMap() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("files", total);
            o.put("written", written);
            o.put("skipped", skipped);
            o.put("refused", refused.stream().map(Problem::asMap).toList());
            o.put("failed", failed.stream().map(Problem::asMap).toList());
            o.put("seconds", seconds);
            o.put("filesPerSecond", filesPerSecond());
            o.put("megabytesPerSecond", megabytesPerSecond());
            return o;
        }

        /** One line: counts and rates. */
        public String summary() {
            return String.format(Locale.ROOT, "%d files: %d written, %d already done, %d refused, %d failed (%.1f s, %.1f files/s, %.1f MB/s)",
                    total, written, skipped, refused.size(), failed.size(), seconds, filesPerSecond(), megabytesPerSecond());
        }
    }

    /** A snapshot for a progress line. */
    public record Progress(int done, int total, int refused, int skipped) {}

    private final Deidentifier deidentifier;
    private final int threads;
    private final DicomReader headerReader = DicomReader.builder().stopBeforePixelData(true).build();
    private final DicomReader reader = DicomReader.defaults();
    private static final long PID = ProcessHandle.current().pid();
    private final AtomicLong temporaries = new AtomicLong();
    private final Set<Path> folders = ConcurrentHashMap.newKeySet();

    public DeidBatch(Deidentifier deidentifier, int threads) {
        this.deidentifier = deidentifier;
        this.threads = threads;
    }

    /** The default pool: a few threads, since de-identification is mostly I/O and parsing. */
    public static int defaultThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /** Every regular, non-hidden file under the inputs (files are taken as they are), in a stable order. */
    public static List<Path> listInputs(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> walk = Files.walk(in)) {
                    walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(in)) {
                files.add(in);
            } else {
                throw new IOException(in + ": no such file or folder");
            }
        }
        return files;
    }

    public Report run(List<Path> files, Path outDir, Consumer<Progress> progress) throws IOException, InterruptedException {
        Files.createDirectories(outDir);
        long start = System.nanoTime();
        List<Problem> refused = Collections.synchronizedList(new ArrayList<>());
        List<Problem> failed = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger done = new AtomicInteger();
        AtomicInteger written = new AtomicInteger();
        AtomicInteger skipped = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, files.size()))); // no idle threads for 1 file
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Path file : files) {
                futures.add(pool.submit(() -> {
                    try {
                        switch (one(file, outDir, bytes, refused)) {
                            case WRITTEN -> written.incrementAndGet();
                            case SKIPPED -> skipped.incrementAndGet();
                            case REFUSED -> { }
                        }
                    } catch (Exception | OutOfMemoryError e) {
                        failed.add(new Problem(file, e.getClass().getSimpleName() + ": " + e.getMessage()));
                    }
                    progress.accept(new Progress(done.incrementAndGet(), files.size(), refused.size() + failed.size(), skipped.get()));
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Report(files.size(), written.get(), skipped.get(), sorted(refused), sorted(failed), bytes.get(),
                (System.nanoTime() - start) / 1e9);
    }

    private enum Result { WRITTEN, SKIPPED, REFUSED }

    private Result one(Path file, Path outDir, AtomicLong bytes, List<Problem> refused) throws Exception {
        // One read: the whole file (its Pixel Data a view of the mapping, so this costs about
        // what the header alone does). Only a file that read fails is read again, header only, to
        // tell the refusals (not DICOM, not a composite instance) and finished outputs from
        // failures exactly as when the header was always read first.
        DicomObject ds;
        try {
            ds = reader.read(file);
        } catch (io.roentgen.dicom.DicomException fullReadFailed) {
            Result early = checkHeader(file, outDir, refused);
            if (early != null) {
                return early;
            }
            throw fullReadFailed;
        }
        Result early = check(file, ds, outDir, refused);
        if (early != null) {
            return early;
        }
        Path target = target(ds, outDir);
        bytes.addAndGet(Files.size(file));
        DeidOutcome outcome = deidentifier.deidentify(ds);
        if (outcome.isRefused()) {
            refused.add(new Problem(file, outcome.refusal()));
            return Result.REFUSED;
        }
        folder(target.getParent());
        Path temp = temporary(target);
        boolean moved = false;
        try {
            writer(ds).write(ds, temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp); // after a move, deleteIfExists would throw and catch inside the JDK
            }
        }
        return Result.WRITTEN;
    }

    /**
     * Makes an output folder once per run: a series' files share it, and
     * {@code Files.createDirectories} on a folder that exists throws and catches two exceptions
     * inside the JDK, each with its stack trace (about 1,000 for 200 files).
     */
    private void folder(Path dir) throws IOException {
        if (!folders.contains(dir)) {
            Files.createDirectories(dir);
            folders.add(dir);
        }
    }

    /**
     * Where an output is written before it is renamed into place: a name no other run (the
     * process id) and no other file of this run (a counter) uses, and that does not exist yet.
     * Not {@code Files.createTempFile}: the writer would then open an existing empty file with
     * O_TRUNC, and on ext4 closing a truncated file starts its writeback at once, in the worker
     * (30 ms of CPU on 20 2048x2048 files; docs/DECISIONS.md, "Temporary outputs are new files");
     * it also seeds a SecureRandom for the name.
     */
    private Path temporary(Path target) {
        Path temp;
        do {
            temp = target.resolveSibling(".deid-" + PID + "-" + temporaries.incrementAndGet() + ".part");
        } while (Files.exists(temp)); // left by a run that stopped, in a process of the same id
        return temp;
    }

    /** The outcome the header alone decides (not DICOM, not composite, already done), or null. */
    private Result checkHeader(Path file, Path outDir, List<Problem> refused) throws IOException {
        DicomObject header;
        try {
            header = headerReader.read(file);
        } catch (io.roentgen.dicom.DicomException notDicom) {
            refused.add(new Problem(file, "not a DICOM file: " + notDicom.getMessage()));
            return Result.REFUSED; // folders hold manifests, DICOMDIRs, notes: listed, not fatal
        }
        return check(file, header, outDir, refused);
    }

    private Result check(Path file, DicomObject header, Path outDir, List<Problem> refused) {
        if (header.getString(Tag.SOPInstanceUID) == null || header.getString(Tag.SOPClassUID) == null) {
            refused.add(new Problem(file, "no SOP Class/Instance UID: not a composite instance"));
            return Result.REFUSED;
        }
        if (Files.isRegularFile(target(header, outDir))) {
            return Result.SKIPPED; // complete: only finished files are renamed into place
        }
        return null;
    }

    /** OUT/newStudyUID/newSeriesUID/newSOPInstanceUID.dcm, from the UID map every file shares. */
    private Path target(DicomObject header, Path outDir) {
        boolean keep = deidentifier.config().has(DeidOption.RETAIN_UIDS);
        UidMapper uids = deidentifier.uids();
        String study = header.getString(Tag.StudyInstanceUID, "no-study");
        String series = header.getString(Tag.SeriesInstanceUID, "no-series");
        String sop = header.getString(Tag.SOPInstanceUID);
        return outDir.resolve(keep ? study : uids.map(study)).resolve(keep ? series : uids.map(series))
                .resolve((keep ? sop : uids.map(sop)) + ".dcm");
    }

    /** Compressed pixel data is written in its own syntax (not re-encoded); native in Explicit VR Little Endian. */
    private static DicomWriter writer(DicomObject ds) {
        TransferSyntax ts = ds.transferSyntax();
        return ds.hasEncapsulatedPixelData() ? DicomWriter.of(ts) : DicomWriter.explicitLittleEndian();
    }

    private static List<Problem> sorted(List<Problem> problems) {
        List<Problem> copy = new ArrayList<>(problems);
        copy.sort((a, b) -> a.file().compareTo(b.file()));
        return List.copyOf(copy);
    }
}
