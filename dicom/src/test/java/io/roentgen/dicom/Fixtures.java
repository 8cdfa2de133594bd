package io.roentgen.dicom;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/** The committed core fixtures (dicom/src/test/fixtures/make-core-fixtures.sh makes them). */
final class Fixtures {
    private Fixtures() {}

    static Path path(String name) {
        URL url = Fixtures.class.getResource("/fixtures/core/" + name);
        if (url == null) {
            throw new IllegalStateException("missing fixture " + name + ": run dicom/src/test/fixtures/make-core-fixtures.sh");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DicomObject read(String name) throws IOException, DicomException {
        return DicomReader.defaults().read(path(name));
    }
}
