package io.roentgen.datasets.manifest;

import io.roentgen.dicom.DicomException;
import io.roentgen.engine.RoentgenException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads a CSV manifest: header row, then one image per row. Columns {@code path} (required,
 * relative to the CSV's folder or absolute), {@code label} (unless label columns are used),
 * optional {@code patient_id}, {@code study_uid}, {@code split}; other columns are ignored.
 * Header names are matched ignoring case.
 */
final class CsvManifestReader {
    static final String PATH = "path";
    static final String LABEL = "label";
    static final String PATIENT_ID = "patient_id";
    static final String STUDY_UID = "study_uid";
    static final String SPLIT = "split";

    /** A row before its label names are turned into class indices. */
    private record Row(int line, Path path, List<String> labels, String patientId, String studyUid, String split) {}

    private final Path csv;
    private final Path root;
    private final ManifestOptions options;

    CsvManifestReader(Path csv, ManifestOptions options) {
        this.csv = csv;
        this.root = csv.toAbsolutePath().normalize().getParent();
        this.options = options;
    }

    Manifest read() throws RoentgenException {
        List<Row> rows = readRows();
        List<String> classNames = classNames(rows);
        List<ManifestEntry> entries = new ArrayList<>(rows.size());
        for (Row row : rows) {
            entries.add(toEntry(row, classNames));
        }
        return new Manifest(root, classNames, options.multiLabel(), entries);
    }

    private List<Row> readRows() throws RoentgenException {
        CSVFormat format = CSVFormat.DEFAULT.builder()
                .setHeader().setSkipHeaderRecord(true).setIgnoreHeaderCase(true)
                .setTrim(true).setIgnoreEmptyLines(true).get();
        try (Reader reader = openWithoutBom(); CSVParser parser = CSVParser.parse(reader, format)) {
            checkHeader(parser.getHeaderMap());
            return readRecords(parser);
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            throw new RoentgenException(csv + ": cannot read manifest: " + e.getMessage(), false, e);
        }
    }

    private Reader openWithoutBom() throws IOException {
        BufferedReader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
        return reader;
    }

    private void checkHeader(Map<String, Integer> header) throws RoentgenException {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(header.keySet());
        List<String> required = new ArrayList<>(List.of(PATH));
        if (options.usesLabelColumns()) {
            required.addAll(options.labelColumns());
        } else {
            required.add(LABEL);
        }
        for (String column : required) {
            if (!names.contains(column)) {
                throw new RoentgenException(csv + " line 1: no column '" + column + "' in the header");
            }
        }
    }

    private List<Row> readRecords(CSVParser parser) throws RoentgenException {
        List<Row> rows = new ArrayList<>();
        int columns = parser.getHeaderNames().size();
        Iterator<CSVRecord> records = parser.iterator();
        while (hasNext(records, parser)) {
            CSVRecord record = records.next();
            // The lexer has consumed the record's line terminator: this is its (last) line.
            int line = (int) parser.getCurrentLineNumber();
            if (record.size() != columns) {
                throw malformed(line, record.size() + " fields where the header has " + columns);
            }
            Row row = toRow(record, line);
            if (row != null) {
                rows.add(row);
            }
        }
        return rows;
    }

    private boolean hasNext(Iterator<CSVRecord> records, CSVParser parser) throws RoentgenException {
        try {
            return records.hasNext();
        } catch (UncheckedIOException | IllegalStateException e) {
            throw malformed((int) parser.getCurrentLineNumber() + 1, e.getMessage());
        }
    }

    private Row toRow(CSVRecord record, int line) throws RoentgenException {
        String pathText = record.get(PATH);
        if (pathText.isEmpty()) {
            throw malformed(line, "empty path");
        }
        Path path = root.resolve(pathText).normalize();
        if (!Files.isRegularFile(path)) {
            if (options.badFiles() == null) {
                throw new RoentgenException(csv + " line " + line + ": file not found: " + path);
            }
            options.badFiles().skipOrFail(path, "file not found (manifest line " + line + ")", null);
            return null;
        }
        String patientId = optional(record, PATIENT_ID);
        if (patientId == null) {
            try {
                patientId = options.patientIdResolver().patientIdOf(path);
            } catch (IOException | DicomException e) {
                return unreadable(path, line, e);
            }
        }
        return new Row(line, path, labels(record, line), patientId,
                optional(record, STUDY_UID), optional(record, SPLIT));
    }

    private List<String> labels(CSVRecord record, int line) throws RoentgenException {
        if (options.usesLabelColumns()) {
            return labelsFromColumns(record, line);
        }
        String cell = record.get(LABEL);
        List<String> names = new ArrayList<>();
        for (String part : cell.split(java.util.regex.Pattern.quote(options.labelSeparator()), -1)) {
            String name = part.trim();
            if (!name.isEmpty() && !names.contains(name)) {
                names.add(name);
            }
        }
        if (!options.multiLabel() && names.size() != 1) {
            throw malformed(line, names.isEmpty()
                    ? "empty label"
                    : "several labels '" + cell + "' in a single-label manifest (use multi-label)");
        }
        return names;
    }

    private List<String> labelsFromColumns(CSVRecord record, int line) throws RoentgenException {
        List<String> names = new ArrayList<>();
        for (String column : options.labelColumns()) {
            String value = record.get(column).toLowerCase(Locale.ROOT);
            switch (value) {
                case "1", "1.0", "true" -> names.add(column);
                case "0", "0.0", "false" -> { }
                default -> throw malformed(line, "column '" + column + "' must be 0 or 1, not '" + value + "'");
            }
        }
        return names;
    }

    private static String optional(CSVRecord record, String column) {
        if (!record.isMapped(column)) {
            return null;
        }
        String value = record.get(column);
        return value.isEmpty() ? null : value;
    }

    /** A file whose header cannot be read: an error naming the line, or a bad file to skip. */
    private Row unreadable(Path path, int line, Exception e) throws RoentgenException {
        String reason = "cannot read the patient ID: " + e.getMessage();
        if (options.badFiles() == null) {
            throw new RoentgenException(csv + " line " + line + ": " + path + ": " + reason, false, e);
        }
        options.badFiles().skipOrFail(path, reason + " (manifest line " + line + ")", e);
        return null;
    }

    private List<String> classNames(List<Row> rows) {
        if (!options.classNames().isEmpty()) {
            return options.classNames();
        }
        if (options.usesLabelColumns()) {
            return List.copyOf(new LinkedHashSet<>(options.labelColumns()));
        }
        Set<String> sorted = new TreeSet<>();
        rows.forEach(row -> sorted.addAll(row.labels()));
        return List.copyOf(sorted);
    }

    private ManifestEntry toEntry(Row row, List<String> classNames) throws RoentgenException {
        List<Integer> indices = new ArrayList<>();
        for (String name : row.labels()) {
            int index = classNames.indexOf(name);
            if (index < 0) {
                throw malformed(row.line(), "label '" + name + "' is not one of the classes " + classNames);
            }
            indices.add(index);
        }
        indices.sort(null);
        List<String> names = indices.stream().map(classNames::get).toList();
        return new ManifestEntry(row.line(), row.path(), indices, names, row.patientId(), row.studyUid(), row.split());
    }

    private RoentgenException malformed(int line, String what) {
        return new RoentgenException(csv + " line " + line + ": " + what);
    }
}
