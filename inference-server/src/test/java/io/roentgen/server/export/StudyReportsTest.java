package io.roentgen.server.export;

import io.roentgen.models.bundle.BundleHash;

import io.roentgen.dicom.sr.Code;
import io.roentgen.dicom.sr.Codes;
import io.roentgen.dicom.sr.LabelCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The adapter's two readings of a bundle: its hash (which names the exact weights) and its label codes. */
class StudyReportsTest {
    @TempDir
    Path bundle;

    @Test
    void theBundleHashNamesTheExactFiles() throws Exception {
        Files.writeString(bundle.resolve("model.json"), "{}");
        Files.write(Files.createDirectories(bundle.resolve("weights")).resolve("a.params"), new byte[] {1, 2, 3});
        String first = BundleHash.of(bundle);
        assertTrue(first.matches("[0-9a-f]{64}"), first);
        assertEquals(first, BundleHash.of(bundle));
        Files.write(bundle.resolve("weights/a.params"), new byte[] {1, 2, 4});
        String changedWeights = BundleHash.of(bundle);
        assertNotEquals(first, changedWeights);
        Files.move(bundle.resolve("weights/a.params"), bundle.resolve("weights/b.params"));
        assertNotEquals(changedWeights, BundleHash.of(bundle), "a renamed file is another bundle");
    }

    @Test
    void labelsTakeTheBundlesCodesElseTheLocalScheme() throws Exception {
        assertEquals(Codes.local("abnormal"), StudyReports.labelCodes(bundle).code("abnormal"), "no model.json");
        Files.writeString(bundle.resolve("model.json"),
                "{\"name\": \"m\", \"codes\": {\"abnormal\": {\"value\": \"263654008\", \"scheme\": \"SCT\", \"meaning\": \"Abnormal\"}}}");
        LabelCodes codes = StudyReports.labelCodes(bundle);
        assertEquals(new Code("263654008", "SCT", "Abnormal"), codes.code("abnormal"));
        assertEquals(new Code("normal", "99ROENTGEN", "normal"), codes.code("normal"));
        Files.writeString(bundle.resolve("model.json"), "{\"codes\": {\"abnormal\": {\"value\": \"263654008\"}}}");
        IOException bad = assertThrows(IOException.class, () -> StudyReports.labelCodes(bundle));
        assertTrue(bad.getMessage().contains("'abnormal' needs value, scheme and meaning"), bad.getMessage());
    }
}
