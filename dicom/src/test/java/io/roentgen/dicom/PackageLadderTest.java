package io.roentgen.dicom;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DICOM module's packages form a ladder, dicom ← codec ← pixel ← image ← (net, deid, ...): each rung imports
 * only the rungs below it, and nothing imports DJL or another Roentgen module. Read from the
 * sources, so a new import that breaks the ladder fails here before it becomes a tangle.
 */
class PackageLadderTest {
    private static final Path SOURCES = Path.of("src/main/java/io/roentgen/dicom");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+);", Pattern.MULTILINE);

    @Test
    void everyImportGoesDownTheLadder() throws IOException {
        List<String> violations = new ArrayList<>();
        List<Path> files = javaFiles();
        assertTrue(files.size() > 50, "the module's sources were found: " + files.size());
        for (Path file : files) {
            int rung = rung(packageOf(file));
            Matcher m = IMPORT.matcher(Files.readString(file));
            while (m.find()) {
                String imported = m.group(1);
                if (imported.startsWith("io.roentgen.dicom")) {
                    int target = rung(imported);
                    if (target > rung) {
                        violations.add(SOURCES.relativize(file) + " imports " + imported + " (up the ladder)");
                    }
                } else if (imported.startsWith("io.roentgen.") || imported.startsWith("ai.djl.")) {
                    violations.add(SOURCES.relativize(file) + " imports " + imported + " (outside the module)");
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void theLadderRanksPackagesAsDocumented() {
        assertEquals(0, rung("io.roentgen.dicom.Tag"));
        assertEquals(1, rung("io.roentgen.dicom.codec.jpeg.JpegBaselineDecoder"));
        assertEquals(2, rung("io.roentgen.dicom.pixel.Frame"));
        assertEquals(3, rung("io.roentgen.dicom.image.FloatImage"));
        assertEquals(4, rung("io.roentgen.dicom.net.Association"));
    }

    /**
     * 0 for the data set, 1 for codecs, 2 for pixel decoding, 3 for images and transforms, 4 for
     * the features built on the stack (network, de-identification), which nothing below imports.
     */
    static int rung(String name) {
        String rest = name.substring("io.roentgen.dicom".length());
        if (rest.startsWith(".codec")) {
            return 1;
        }
        if (rest.startsWith(".pixel")) {
            return 2;
        }
        if (rest.startsWith(".image")) {
            return 3;
        }
        boolean subpackage = rest.length() > 1 && Character.isLowerCase(rest.charAt(1));
        return subpackage ? 4 : 0;
    }

    private static String packageOf(Path file) {
        Path dir = SOURCES.relativize(file.getParent());
        String sub = dir.toString().replace('/', '.');
        return sub.isEmpty() ? "io.roentgen.dicom" : "io.roentgen.dicom." + sub;
    }

    private static List<Path> javaFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            return walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }
}
