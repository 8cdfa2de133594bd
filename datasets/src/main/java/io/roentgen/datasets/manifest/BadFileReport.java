package io.roentgen.datasets.manifest;

import io.roentgen.engine.RoentgenException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files that indexing or loading skipped, with the reason for each. Thread-safe: parallel
 * loader workers report into one instance. Reasons must describe the problem (truncated header,
 * unsupported transfer syntax), never patient data.
 */
public final class BadFileReport {
    /** One skipped file. */
    public record BadFile(Path path, String reason) {}

    private final BadFilePolicy policy;
    private final List<BadFile> files = new ArrayList<>();

    public BadFileReport(BadFilePolicy policy) {
        this.policy = policy;
    }

    public BadFilePolicy policy() {
        return policy;
    }

    /**
     * Applies the policy to a file that cannot be used: under {@link BadFilePolicy#FAIL} throws
     * with the reason; under {@link BadFilePolicy#SKIP} records it and returns so the caller skips.
     */
    public void skipOrFail(Path file, String reason, Throwable cause) throws RoentgenException {
        if (policy == BadFilePolicy.FAIL) {
            throw new RoentgenException(file + ": " + reason, false, cause);
        }
        record(file, reason);
    }

    /** Records a skipped file regardless of the policy. */
    public synchronized void record(Path file, String reason) {
        files.add(new BadFile(file, reason));
    }

    public synchronized int count() {
        return files.size();
    }

    public synchronized boolean isEmpty() {
        return files.isEmpty();
    }

    /** The skipped files in the order they were reported. */
    public synchronized List<BadFile> files() {
        return List.copyOf(files);
    }

    /** How many files were skipped for each reason, reasons sorted. */
    public synchronized Map<String, Integer> countsByReason() {
        Map<String, Integer> counts = new TreeMap<>();
        for (BadFile file : files) {
            counts.merge(file.reason(), 1, Integer::sum);
        }
        return counts;
    }
}
