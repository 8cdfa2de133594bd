package io.roentgen.spark;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;

/**
 * Reads one DICOM instance from what an input row holds: its bytes (a {@code binaryFile} row),
 * or its path: a local path, a {@code file:} URI, or any Hadoop file system URI.
 */
final class DicomSource {
    private final DicomReader reader = DicomReader.defaults();

    DicomObject read(String path, byte[] content) throws IOException, DicomException {
        if (content != null) {
            return reader.read(content);
        }
        if (!path.matches("[a-zA-Z][a-zA-Z0-9+.-]+:.*")) {
            return reader.read(Path.of(path)); // a plain local path, spaces and all
        }
        URI uri = URI.create(path);
        if ("file".equals(uri.getScheme())) {
            return reader.read(Path.of(uri));
        }
        FileSystem fs = FileSystem.get(uri, new Configuration());
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(uri))) {
            return reader.read(in);
        }
    }

    /** A local file path for a path as Spark writes it ({@code file:/...}) or as given. */
    static Path localPath(String path) {
        return path.startsWith("file:") ? Path.of(URI.create(path)) : Path.of(path);
    }
}
