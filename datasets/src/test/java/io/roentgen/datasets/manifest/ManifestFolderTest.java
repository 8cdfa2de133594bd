package io.roentgen.datasets.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestFolderTest {
    @TempDir
    Path root;

    private Path file(String name, byte[] bytes) throws IOException {
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    private static byte[] withDicmMagic() {
        byte[] bytes = new byte[140];
        bytes[128] = 'D';
        bytes[129] = 'I';
        bytes[130] = 'C';
        bytes[131] = 'M';
        return bytes;
    }

    @Test
    void readsOneFolderPerClassRecursively() throws Exception {
        Path a = file("pneumonia/p1/x.dcm", new byte[] {1});
        Path b = file("normal/sub/deeper/y.DICOM", new byte[] {1});
        Path c = file("normal/1.2.840.10008.1", withDicmMagic());
        Path d = file("normal/noext", withDicmMagic());
        file("normal/readme.txt", new byte[200]);
        file("normal/short", new byte[] {'D', 'I', 'C', 'M'});
        file("normal/.hidden.dcm", new byte[] {1});
        file(".trash/z.dcm", new byte[] {1});
        file("pneumonia/.thumbs/w.dcm", new byte[] {1});

        Map<Path, String> headers = Map.of(a.toAbsolutePath(), "P-A");
        Manifest manifest = Manifest.readFolder(root, ManifestOptions.defaults().withPatientIdResolver(headers::get));

        assertEquals(List.of("normal", "pneumonia"), manifest.classNames());
        assertFalse(manifest.multiLabel());
        List<Path> paths = manifest.entries().stream().map(ManifestEntry::path).toList();
        assertEquals(List.of(c.toAbsolutePath(), d.toAbsolutePath(), b.toAbsolutePath(), a.toAbsolutePath()), paths);
        assertEquals(List.of(0), manifest.entries().get(0).labelIndices());
        assertEquals(List.of("pneumonia"), manifest.entries().get(3).labelNames());
        assertEquals("P-A", manifest.entries().get(3).patientId());
        assertNull(manifest.entries().get(0).patientId());
        assertEquals(0, manifest.entries().get(0).line());
    }
}
