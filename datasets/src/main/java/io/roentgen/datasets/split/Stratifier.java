package io.roentgen.datasets.split;

import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Groups a manifest's images by patient and gives each patient one stratum.
 *
 * <ul>
 *   <li>Patients: entries with the same patient ID; an entry without one is its own patient.
 *   <li>Single-label: the stratum is the patient's majority class over their images (a tie goes to
 *       the lower class index).
 *   <li>Multi-label: the stratum is the patient's rarest positive class (fewest patients in the
 *       whole manifest, ties to the lower index), so rare findings are spread over every split;
 *       a patient without any positive class is in an extra stratum {@code classCount}.
 * </ul>
 * Patients are returned sorted by key so that nothing depends on hash or file order.
 */
final class Stratifier {
    private static final String NO_ID_PREFIX = "\u0000image:";

    private Stratifier() {}

    static List<Patient> patients(Manifest manifest) {
        Map<String, List<Integer>> byKey = new TreeMap<>();
        List<ManifestEntry> entries = manifest.entries();
        for (int i = 0; i < entries.size(); i++) {
            byKey.computeIfAbsent(keyOf(entries.get(i)), key -> new ArrayList<>()).add(i);
        }
        int[] patientsPerClass = patientsPerClass(manifest, byKey);
        List<Patient> patients = new ArrayList<>(byKey.size());
        byKey.forEach((key, indices) ->
                patients.add(new Patient(key, List.copyOf(indices), stratum(manifest, indices, patientsPerClass))));
        return patients;
    }

    /** Strata run from 0 to classCount inclusive (the last one: multi-label without findings). */
    static int strataCount(Manifest manifest) {
        return manifest.classCount() + 1;
    }

    private static String keyOf(ManifestEntry entry) {
        return entry.patientId() != null ? entry.patientId() : NO_ID_PREFIX + entry.path();
    }

    private static int[] patientsPerClass(Manifest manifest, Map<String, List<Integer>> byKey) {
        int[] counts = new int[manifest.classCount()];
        for (List<Integer> indices : byKey.values()) {
            boolean[] has = classesOf(manifest, indices);
            for (int c = 0; c < counts.length; c++) {
                counts[c] += has[c] ? 1 : 0;
            }
        }
        return counts;
    }

    private static boolean[] classesOf(Manifest manifest, List<Integer> indices) {
        boolean[] has = new boolean[manifest.classCount()];
        for (int index : indices) {
            manifest.entries().get(index).labelIndices().forEach(c -> has[c] = true);
        }
        return has;
    }

    private static int stratum(Manifest manifest, List<Integer> indices, int[] patientsPerClass) {
        return manifest.multiLabel()
                ? rarestPositiveClass(manifest, indices, patientsPerClass)
                : majorityClass(manifest, indices);
    }

    private static int majorityClass(Manifest manifest, List<Integer> indices) {
        int[] votes = new int[manifest.classCount()];
        for (int index : indices) {
            manifest.entries().get(index).labelIndices().forEach(c -> votes[c]++);
        }
        int best = 0;
        for (int c = 1; c < votes.length; c++) {
            if (votes[c] > votes[best]) {
                best = c;
            }
        }
        return best;
    }

    private static int rarestPositiveClass(Manifest manifest, List<Integer> indices, int[] patientsPerClass) {
        boolean[] has = classesOf(manifest, indices);
        int rarest = manifest.classCount();
        for (int c = 0; c < has.length; c++) {
            if (has[c] && (rarest == manifest.classCount() || patientsPerClass[c] < patientsPerClass[rarest])) {
                rarest = c;
            }
        }
        return rarest;
    }
}
