package io.roentgen.spark;

import com.google.gson.GsonBuilder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What a job did: counts by status and the failures with their reasons (at most
 * {@link #MAX_FAILURES} listed; {@code byStatus} counts them all). Paths in it are the inputs'
 * paths: the summary sits beside the output, not in the logs.
 *
 * @param job      {@code score} or {@code prepare}
 * @param output   where the result went
 * @param total    input rows
 * @param byStatus rows per status ({@code scored}/{@code failed}; {@code written}/{@code cached}/{@code failed})
 * @param seconds  wall time of the job
 * @param failures the first failures, path and reason
 */
public record JobSummary(String job, String output, long total, Map<String, Long> byStatus, double seconds,
                         List<Failure> failures) {
    public static final int MAX_FAILURES = 1000;

    public record Failure(String path, String reason) {}

    public long count(String status) {
        return byStatus.getOrDefault(status, 0L);
    }

    public String toJson() {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(this);
    }

    /** One line for the console. */
    public String line() {
        return "roentgen " + job + ": " + total + " inputs, " + byStatus + " in " + String.format("%.1f", seconds)
                + " s; output " + output;
    }

    /** Writes the JSON to a local path or any Hadoop file system URI. */
    public void write(String target) throws IOException {
        URI uri = target.matches("[a-zA-Z][a-zA-Z0-9+.-]+:.*") ? URI.create(target)
                : java.nio.file.Path.of(target).toAbsolutePath().toUri();
        FileSystem fs = FileSystem.get(uri, new Configuration());
        fs.setWriteChecksum(false); // no .crc file beside it on a local disk
        try (FSDataOutputStream out = fs.create(new org.apache.hadoop.fs.Path(uri), true)) {
            out.write(toJson().getBytes(StandardCharsets.UTF_8));
        }
    }
}
