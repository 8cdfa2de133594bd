package io.roentgen.datasets.split;

import com.google.gson.GsonBuilder;
import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestEntry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Images and patients per class per group of a split: the table the CLI prints and writes as JSON.
 * A multi-label image counts once for each of its classes; the total row counts it once.
 *
 * @param column {@code split} or {@code fold}
 * @param groups the group names, the table's columns
 * @param classes one row per class, in class order
 * @param total images and patients per group
 */
public record SplitCounts(String column, List<String> groups, List<Row> classes, Row total) {

    /** One row of the table: per group, how many images and how many distinct patients. */
    public record Row(String name, List<Integer> images, List<Integer> patients) {
        public Row {
            images = List.copyOf(images);
            patients = List.copyOf(patients);
        }
    }

    public SplitCounts {
        groups = List.copyOf(groups);
        classes = List.copyOf(classes);
    }

    public static SplitCounts of(SplitAssignment assignment) {
        Manifest manifest = assignment.manifest();
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c < manifest.classCount(); c++) {
            int classIndex = c;
            rows.add(row(manifest.classNames().get(c), assignment, entry -> entry.hasLabel(classIndex)));
        }
        return new SplitCounts(assignment.column(), assignment.groups(), rows, row("total", assignment, entry -> true));
    }

    private interface EntryFilter {
        boolean accepts(ManifestEntry entry);
    }

    private static Row row(String name, SplitAssignment assignment, EntryFilter filter) {
        List<Integer> images = new ArrayList<>();
        List<Integer> patients = new ArrayList<>();
        for (int group = 0; group < assignment.groupCount(); group++) {
            int imageCount = 0;
            Set<String> patientKeys = new HashSet<>();
            for (ManifestEntry entry : assignment.entriesIn(group)) {
                if (filter.accepts(entry)) {
                    imageCount++;
                    patientKeys.add(entry.patientId() != null ? entry.patientId() : "\u0000" + entry.path());
                }
            }
            images.add(imageCount);
            patients.add(patientKeys.size());
        }
        return new Row(name, images, patients);
    }

    /** Images of a class in a group. */
    public int images(int classIndex, int group) {
        return classes.get(classIndex).images().get(group);
    }

    /** Distinct patients with a class in a group. */
    public int patients(int classIndex, int group) {
        return classes.get(classIndex).patients().get(group);
    }

    public String toJson() {
        return new GsonBuilder().setPrettyPrinting().create().toJson(this);
    }

    /** A plain-text table: one line per class, cells "images (patients)". */
    public String toTable() {
        List<List<String>> cells = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("class"));
        groups.forEach(group -> header.add(column + " " + group));
        cells.add(header);
        classes.forEach(row -> cells.add(cellsOf(row)));
        cells.add(cellsOf(total));
        return TextTable.render(cells);
    }

    private List<String> cellsOf(Row row) {
        List<String> line = new ArrayList<>(List.of(row.name()));
        for (int group = 0; group < groups.size(); group++) {
            line.add(row.images().get(group) + " (" + row.patients().get(group) + ")");
        }
        return line;
    }
}
