package io.roentgen.datasets.split;

import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Builds in-memory manifests for split tests (the files need not exist for splitting). */
final class SplitManifests {
    private SplitManifests() {}

    static ManifestEntry entry(int index, String patientId, List<Integer> labels, List<String> classNames) {
        List<String> names = labels.stream().map(classNames::get).toList();
        return new ManifestEntry(index + 2, Path.of("/data/img" + index + ".dcm"), labels, names, patientId, null, null);
    }

    /** One image per patient; {@code perClass[c]} patients of class c. */
    static Manifest onePerPatient(int... perClass) {
        List<String> classes = new ArrayList<>();
        for (int c = 0; c < perClass.length; c++) {
            classes.add("class" + c);
        }
        List<ManifestEntry> entries = new ArrayList<>();
        for (int c = 0; c < perClass.length; c++) {
            for (int i = 0; i < perClass[c]; i++) {
                entries.add(entry(entries.size(), "P" + entries.size(), List.of(c), classes));
            }
        }
        return new Manifest(Path.of("/data"), classes, false, entries);
    }

    /** Random patients with 1-5 images, random labels, some images without a patient ID. */
    static Manifest random(SplittableRandom random, boolean multiLabel) {
        int classCount = 2 + random.nextInt(4);
        List<String> classes = new ArrayList<>();
        for (int c = 0; c < classCount; c++) {
            classes.add("class" + c);
        }
        List<ManifestEntry> entries = new ArrayList<>();
        int patients = 1 + random.nextInt(120);
        for (int p = 0; p < patients; p++) {
            int images = 1 + random.nextInt(5);
            for (int i = 0; i < images; i++) {
                String patientId = random.nextInt(10) == 0 ? null : "P" + p;
                entries.add(entry(entries.size(), patientId, labels(random, classCount, multiLabel), classes));
            }
        }
        // Shuffle rows: the split must not depend on manifest order beyond determinism.
        for (int i = entries.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            ManifestEntry swap = entries.get(i);
            entries.set(i, entries.get(j));
            entries.set(j, swap);
        }
        return new Manifest(Path.of("/data"), classes, multiLabel, entries);
    }

    private static List<Integer> labels(SplittableRandom random, int classCount, boolean multiLabel) {
        if (!multiLabel) {
            return List.of(random.nextInt(classCount));
        }
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classCount; c++) {
            if (random.nextInt(3) == 0) {
                labels.add(c);
            }
        }
        return labels;
    }
}
