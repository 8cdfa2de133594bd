package io.roentgen.datasets.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PatientSplitterTest {

    /** Patient key as the splitter sees it: an image without an ID is its own patient. */
    private static String patientOf(ManifestEntry entry) {
        return entry.patientId() != null ? entry.patientId() : "image " + entry.path();
    }

    private static void assertNoPatientInTwoGroups(SplitAssignment assignment) {
        Map<String, Integer> groupOfPatient = new HashMap<>();
        List<ManifestEntry> entries = assignment.manifest().entries();
        for (int i = 0; i < entries.size(); i++) {
            int group = assignment.groupOfEntry().get(i);
            assertTrue(group >= 0 && group < assignment.groupCount());
            Integer earlier = groupOfPatient.putIfAbsent(patientOf(entries.get(i)), group);
            assertTrue(earlier == null || earlier == group, "patient in two groups: " + patientOf(entries.get(i)));
        }
    }

    @Test
    void noPatientIsEverInTwoSplitsOrTwoFolds() {
        SplittableRandom random = new SplittableRandom(20261123);
        for (int trial = 0; trial < 300; trial++) {
            Manifest manifest = SplitManifests.random(random, trial % 2 == 0);
            long seed = random.nextLong();
            assertNoPatientInTwoGroups(PatientSplitter.trainValidationTest(manifest, SplitFractions.defaults(), seed));
            assertNoPatientInTwoGroups(PatientSplitter.trainValidationTest(manifest, new SplitFractions(0.3, 0.45), seed));
            assertNoPatientInTwoGroups(PatientSplitter.kFold(manifest, 2 + trial % 7, seed));
        }
    }

    @Test
    void everyStratumIsWithinOnePatientOfItsIdealShare() {
        Manifest manifest = SplitManifests.onePerPatient(200, 57, 13, 3, 1);
        int[] perClass = {200, 57, 13, 3, 1};
        for (long seed = 0; seed < 20; seed++) {
            SplitCounts counts = SplitCounts.of(PatientSplitter.trainValidationTest(manifest, new SplitFractions(0.15, 0.2), seed));
            for (int c = 0; c < perClass.length; c++) {
                assertWithinOne(perClass[c] * 0.2, counts.patients(c, Subset.TEST.ordinal()));
                assertWithinOne(perClass[c] * 0.15, counts.patients(c, Subset.VALIDATION.ordinal()));
                assertWithinOne(perClass[c] * 0.65, counts.patients(c, Subset.TRAIN.ordinal()));
            }
            assertWithinOne(274 * 0.2, counts.total().patients().get(Subset.TEST.ordinal()));
            assertWithinOne(274 * 0.15, counts.total().patients().get(Subset.VALIDATION.ordinal()));
        }
    }

    @Test
    void kFoldCoversEveryPatientOnceWithBalancedStrata() {
        Manifest manifest = SplitManifests.onePerPatient(101, 37, 6);
        int[] perClass = {101, 37, 6};
        int folds = 5;
        SplitAssignment assignment = PatientSplitter.kFold(manifest, folds, 42);
        assertEquals(manifest.size(), assignment.groupOfEntry().size());
        SplitCounts counts = SplitCounts.of(assignment);
        int covered = 0;
        for (int fold = 0; fold < folds; fold++) {
            covered += counts.total().patients().get(fold);
            for (int c = 0; c < perClass.length; c++) {
                double ideal = (double) perClass[c] / folds;
                assertTrue(Math.abs(counts.patients(c, fold) - ideal) < 1, "class " + c + " fold " + fold);
            }
        }
        assertEquals(144, covered);
        // Each fold as validation: the other folds are training, nothing else.
        Manifest fold2 = assignment.foldAsValidation(2);
        long validation = fold2.entries().stream().filter(e -> "validation".equals(e.split())).count();
        assertEquals(counts.total().images().get(2).longValue(), validation);
        assertEquals(manifest.size() - validation, fold2.entries().stream().filter(e -> "train".equals(e.split())).count());
    }

    @Test
    void sameSeedSameSplitDifferentSeedDifferentSplit() {
        Manifest manifest = SplitManifests.random(new SplittableRandom(7), false);
        while (manifest.size() < 100) {
            manifest = SplitManifests.random(new SplittableRandom(manifest.size()), false);
        }
        SplitFractions fractions = SplitFractions.defaults();
        assertEquals(PatientSplitter.trainValidationTest(manifest, fractions, 1).groupOfEntry(),
                PatientSplitter.trainValidationTest(manifest, fractions, 1).groupOfEntry());
        assertNotEquals(PatientSplitter.trainValidationTest(manifest, fractions, 1).groupOfEntry(),
                PatientSplitter.trainValidationTest(manifest, fractions, 2).groupOfEntry());
        assertEquals(PatientSplitter.kFold(manifest, 5, 9).groupOfEntry(), PatientSplitter.kFold(manifest, 5, 9).groupOfEntry());
        assertNotEquals(PatientSplitter.kFold(manifest, 5, 9).groupOfEntry(), PatientSplitter.kFold(manifest, 5, 10).groupOfEntry());
    }

    @Test
    void splitDoesNotDependOnRowOrder() {
        Manifest manifest = SplitManifests.random(new SplittableRandom(3), true);
        List<ManifestEntry> reversed = new java.util.ArrayList<>(manifest.entries());
        java.util.Collections.reverse(reversed);
        SplitAssignment forward = PatientSplitter.trainValidationTest(manifest, SplitFractions.defaults(), 5);
        SplitAssignment backward = PatientSplitter.trainValidationTest(manifest.withEntries(reversed), SplitFractions.defaults(), 5);
        for (int i = 0; i < manifest.size(); i++) {
            assertEquals(forward.groupOfEntry().get(i), backward.groupOfEntry().get(manifest.size() - 1 - i));
        }
    }

    private static void assertWithinOne(double ideal, int actual) {
        assertTrue(Math.abs(actual - ideal) <= 1, "expected about " + ideal + ", got " + actual);
    }
}
