package io.roentgen.datasets.split;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roentgen.datasets.manifest.Manifest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StratifierTest {
    private static final List<String> CLASSES = List.of("a", "b", "c");

    @Test
    void singleLabelPatientsTakeTheirMajorityClassTiesToTheLowerIndex() {
        Manifest manifest = new Manifest(Path.of("/"), CLASSES, false, List.of(
                SplitManifests.entry(0, "P1", List.of(2), CLASSES),
                SplitManifests.entry(1, "P1", List.of(1), CLASSES),
                SplitManifests.entry(2, "P1", List.of(2), CLASSES),
                SplitManifests.entry(3, "P2", List.of(2), CLASSES),
                SplitManifests.entry(4, "P2", List.of(1), CLASSES),
                SplitManifests.entry(5, null, List.of(0), CLASSES),
                SplitManifests.entry(6, null, List.of(1), CLASSES)));
        List<Patient> patients = Stratifier.patients(manifest);
        assertEquals(4, patients.size(), "each image without an ID is its own patient");
        List<Integer> strataOfImagesWithoutId = patients.stream()
                .filter(p -> !p.key().startsWith("P")).map(Patient::stratum).sorted().toList();
        assertEquals(List.of(0, 1), strataOfImagesWithoutId);
        Patient p1 = find(patients, "P1");
        Patient p2 = find(patients, "P2");
        assertEquals(2, p1.stratum());
        assertEquals(1, p2.stratum());
        assertEquals(List.of(0, 1, 2), p1.entryIndices());
    }

    @Test
    void multiLabelPatientsTakeTheirRarestPositiveClassOrTheNoFindingStratum() {
        Manifest manifest = new Manifest(Path.of("/"), CLASSES, true, List.of(
                SplitManifests.entry(0, "P1", List.of(0, 1), CLASSES),
                SplitManifests.entry(1, "P2", List.of(0), CLASSES),
                SplitManifests.entry(2, "P3", List.of(0, 2), CLASSES),
                SplitManifests.entry(3, "P3", List.of(1), CLASSES),
                SplitManifests.entry(4, "P4", List.of(), CLASSES),
                SplitManifests.entry(5, "P5", List.of(1), CLASSES)));
        List<Patient> patients = Stratifier.patients(manifest);
        // Patients per class: a 3, b 3, c 1.
        assertEquals(0, find(patients, "P1").stratum(), "a and b tie: lower index");
        assertEquals(0, find(patients, "P2").stratum());
        assertEquals(2, find(patients, "P3").stratum(), "c is the rarest");
        assertEquals(3, find(patients, "P4").stratum(), "no finding");
        assertEquals(1, find(patients, "P5").stratum());
    }

    private static Patient find(List<Patient> patients, String key) {
        return patients.stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow();
    }
}
