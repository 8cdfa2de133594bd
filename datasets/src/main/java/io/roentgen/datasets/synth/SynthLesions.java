package io.roentgen.datasets.synth;

import io.roentgen.engine.RoentgenException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The optional {@code lesions} column of a synth manifest: {@code "x y r;x y r"} per image (empty
 * for a normal image). Manifest readers ignore columns they do not know, so older manifests
 * without it stay readable, and they read here as having no lesions recorded.
 */
public final class SynthLesions {
    public static final String COLUMN = "lesions";

    private SynthLesions() {}

    /** The column's text for these lesions, one decimal. */
    public static String format(List<Lesion> lesions) {
        List<String> parts = new ArrayList<>();
        for (Lesion l : lesions) {
            parts.add(String.format(Locale.ROOT, "%.1f %.1f %.1f", l.x(), l.y(), l.radius()));
        }
        return String.join(";", parts);
    }

    /** Parses the column's text; blank is no lesion. */
    public static List<Lesion> parse(String text) {
        List<Lesion> lesions = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return lesions;
        }
        for (String part : text.split(";")) {
            String[] v = part.trim().split("\\s+");
            if (v.length != 3) {
                throw new IllegalArgumentException("a lesion is 'x y radius', not '" + part + "'");
            }
            lesions.add(new Lesion(Double.parseDouble(v[0]), Double.parseDouble(v[1]), Double.parseDouble(v[2])));
        }
        return lesions;
    }

    /**
     * The lesions of every image of a manifest, by the image's absolute, normalised path; empty when
     * the manifest has no {@code lesions} column.
     */
    public static Map<Path, List<Lesion>> read(Path manifest) throws RoentgenException {
        Path root = manifest.toAbsolutePath().normalize().getParent();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreHeaderCase(true)
                .setTrim(true).get();
        Map<Path, List<Lesion>> out = new LinkedHashMap<>();
        try (Reader reader = Files.newBufferedReader(manifest, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(reader, format)) {
            if (!parser.getHeaderMap().containsKey(COLUMN)) {
                return out;
            }
            for (CSVRecord row : parser) {
                out.put(root.resolve(row.get("path")).normalize(), parse(row.get(COLUMN)));
            }
            return out;
        } catch (IOException | IllegalArgumentException e) {
            throw new RoentgenException(manifest + ": cannot read the lesions: " + e.getMessage(), false, e);
        }
    }
}
