package io.roentgen.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkFiles;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a bundle is on this JVM's disk. A bundle is named by a URI: a local path or {@code file:}
 * URI (a shared file system), a bare file name shipped with {@code spark-submit --files} (found
 * through {@link SparkFiles}), or any Hadoop file system URI ({@code hdfs:}, {@code s3a:}), copied
 * once per JVM into a temporary folder.
 */
final class LocalBundle {
    private static final Map<String, Path> COPIES = new ConcurrentHashMap<>();

    private LocalBundle() {}

    static Path resolve(String uri) throws IOException {
        URI parsed = URI.create(uri);
        if (parsed.getScheme() == null || "file".equals(parsed.getScheme())) {
            Path local = parsed.getScheme() == null ? Path.of(uri) : Path.of(parsed);
            if (Files.exists(local)) {
                return local;
            }
            Path shipped = shipped(local.getFileName().toString());
            if (shipped != null) {
                return shipped;
            }
            throw new IOException(uri + ": no such bundle on this node (ship it with --files or use a shared URI)");
        }
        try {
            return COPIES.computeIfAbsent(uri, u -> copy(parsed));
        } catch (IllegalStateException e) {
            throw new IOException(uri + ": cannot copy the bundle: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** A file shipped with --files, when a Spark context is running here. */
    private static Path shipped(String name) {
        try {
            Path p = Path.of(SparkFiles.get(name));
            return Files.exists(p) ? p : null;
        } catch (RuntimeException e) {
            return null; // no SparkEnv in this JVM
        }
    }

    private static Path copy(URI uri) {
        try {
            Path folder = Files.createTempDirectory("roentgen-bundle");
            String name = Path.of(uri.getPath()).getFileName().toString();
            Path target = folder.resolve(name);
            FileSystem fs = FileSystem.get(uri, new Configuration());
            fs.copyToLocalFile(false, new org.apache.hadoop.fs.Path(uri), new org.apache.hadoop.fs.Path(target.toUri()), true);
            return target;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
