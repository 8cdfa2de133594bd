package io.roentgen.datasets.split;

import io.roentgen.datasets.manifest.Manifest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Splits a manifest by patient, stratified by label (see {@link Stratifier}), seeded.
 *
 * <p>Determinism: patients are sorted by key, strata visited in index order, and each stratum's
 * patients shuffled (Fisher-Yates) with one {@link SplittableRandom} seeded with the given seed,
 * so the same manifest and seed give the same split on every JVM.
 *
 * <p>Train/validation/test: per stratum the validation and test counts are
 * {@code round(cumulative * fraction)} differences over the strata seen so far, so every stratum
 * is within one patient of its ideal share and the totals within one of theirs.
 *
 * <p>K-fold: each stratum's shuffled patients are dealt round-robin to the folds, the dealing
 * continuing from stratum to stratum, so folds differ by at most one patient per stratum and in
 * total.
 */
public final class PatientSplitter {
    private PatientSplitter() {}

    public static SplitAssignment trainValidationTest(Manifest manifest, SplitFractions fractions, long seed) {
        List<List<Patient>> strata = shuffledStrata(manifest, seed);
        int[] groupOfEntry = new int[manifest.size()];
        int before = 0;
        for (List<Patient> stratum : strata) {
            int after = before + stratum.size();
            int test = share(before, after, fractions.test());
            int validation = Math.min(share(before, after, fractions.validation()), stratum.size() - test);
            for (int i = 0; i < stratum.size(); i++) {
                Subset subset = i < test ? Subset.TEST : i < test + validation ? Subset.VALIDATION : Subset.TRAIN;
                assign(stratum.get(i), subset.ordinal(), groupOfEntry);
            }
            before = after;
        }
        List<String> names = Arrays.stream(Subset.values()).map(Subset::csvName).toList();
        return new SplitAssignment(manifest, SplitAssignment.SPLIT_COLUMN, names, boxed(groupOfEntry));
    }

    public static SplitAssignment kFold(Manifest manifest, int folds, long seed) {
        if (folds < 2) {
            throw new IllegalArgumentException("k-fold needs at least 2 folds, not " + folds);
        }
        int[] groupOfEntry = new int[manifest.size()];
        int dealt = 0;
        for (List<Patient> stratum : shuffledStrata(manifest, seed)) {
            for (Patient patient : stratum) {
                assign(patient, dealt++ % folds, groupOfEntry);
            }
        }
        List<String> names = IntStream.range(0, folds).mapToObj(Integer::toString).toList();
        return new SplitAssignment(manifest, SplitAssignment.FOLD_COLUMN, names, boxed(groupOfEntry));
    }

    /** How many of the patients between cumulative counts {@code before} and {@code after} go to a share. */
    private static int share(int before, int after, double fraction) {
        return (int) (Math.round(after * fraction) - Math.round(before * fraction));
    }

    private static List<List<Patient>> shuffledStrata(Manifest manifest, long seed) {
        List<List<Patient>> strata = new ArrayList<>();
        for (int s = 0; s < Stratifier.strataCount(manifest); s++) {
            strata.add(new ArrayList<>());
        }
        for (Patient patient : Stratifier.patients(manifest)) {
            strata.get(patient.stratum()).add(patient);
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (List<Patient> stratum : strata) {
            shuffle(stratum, random);
        }
        return strata;
    }

    private static void shuffle(List<Patient> patients, SplittableRandom random) {
        for (int i = patients.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Patient swap = patients.get(i);
            patients.set(i, patients.get(j));
            patients.set(j, swap);
        }
    }

    private static void assign(Patient patient, int group, int[] groupOfEntry) {
        for (int entry : patient.entryIndices()) {
            groupOfEntry[entry] = group;
        }
    }

    private static List<Integer> boxed(int[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
