package io.roentgen.datasets.split;

import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestEntry;
import io.roentgen.engine.RoentgenException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which group each image of a manifest went to: the subsets of a train/validation/test split
 * (column {@code split}) or the folds of a k-fold split (column {@code fold}).
 *
 * @param manifest the images
 * @param column {@code split} or {@code fold}: the CSV column the group is written to
 * @param groups group names as written to that column, index = group
 * @param groupOfEntry the group of each manifest entry, same order as the entries
 */
public record SplitAssignment(Manifest manifest, String column, List<String> groups, List<Integer> groupOfEntry) {
    public static final String SPLIT_COLUMN = "split";
    public static final String FOLD_COLUMN = "fold";

    public SplitAssignment {
        groups = List.copyOf(groups);
        groupOfEntry = List.copyOf(groupOfEntry);
        if (groupOfEntry.size() != manifest.size()) {
            throw new IllegalArgumentException("one group per entry needed");
        }
    }

    /**
     * The split a manifest already names in its {@code split} column (train, validation or val,
     * test); an entry without one, or with another value, is an error naming its line.
     */
    public static SplitAssignment fromSplitColumn(Manifest manifest) throws RoentgenException {
        List<Integer> groupOfEntry = new ArrayList<>(manifest.size());
        for (ManifestEntry entry : manifest.entries()) {
            Subset subset = Subset.parse(entry.split());
            if (subset == null) {
                throw new RoentgenException("manifest line " + entry.line() + ": split must be train, validation or test, not '"
                        + (entry.split() == null ? "" : entry.split()) + "'");
            }
            groupOfEntry.add(subset.ordinal());
        }
        List<String> names = Arrays.stream(Subset.values()).map(Subset::csvName).toList();
        return new SplitAssignment(manifest, SPLIT_COLUMN, names, groupOfEntry);
    }

    /**
     * How many patients have images in more than one group: 0 for every split made here; a
     * hand-made split with leakage between training and test shows up as more.
     */
    public int patientsInSeveralGroups() {
        Map<String, Integer> groupOfPatient = new HashMap<>();
        Set<String> leaking = new HashSet<>();
        for (int i = 0; i < groupOfEntry.size(); i++) {
            String patient = manifest.entries().get(i).patientId();
            if (patient != null) {
                Integer earlier = groupOfPatient.putIfAbsent(patient, groupOfEntry.get(i));
                if (earlier != null && !earlier.equals(groupOfEntry.get(i))) {
                    leaking.add(patient);
                }
            }
        }
        return leaking.size();
    }

    public int groupCount() {
        return groups.size();
    }

    /** The entries in one group, in manifest order. */
    public List<ManifestEntry> entriesIn(int group) {
        List<ManifestEntry> selected = new ArrayList<>();
        for (int i = 0; i < groupOfEntry.size(); i++) {
            if (groupOfEntry.get(i) == group) {
                selected.add(manifest.entries().get(i));
            }
        }
        return selected;
    }

    /** The manifest with each entry's {@code split} set from this assignment. */
    public Manifest toManifest() {
        List<ManifestEntry> entries = new ArrayList<>(manifest.size());
        for (int i = 0; i < manifest.size(); i++) {
            entries.add(manifest.entries().get(i).withSplit(groups.get(groupOfEntry.get(i))));
        }
        return manifest.withEntries(entries);
    }

    /**
     * For a k-fold assignment: the manifest where fold {@code fold} is the validation subset and
     * every other fold is training.
     */
    public Manifest foldAsValidation(int fold) {
        if (!FOLD_COLUMN.equals(column) || fold < 0 || fold >= groups.size()) {
            throw new IllegalArgumentException("no fold " + fold + " in a '" + column + "' assignment");
        }
        List<ManifestEntry> entries = new ArrayList<>(manifest.size());
        for (int i = 0; i < manifest.size(); i++) {
            Subset subset = groupOfEntry.get(i) == fold ? Subset.VALIDATION : Subset.TRAIN;
            entries.add(manifest.entries().get(i).withSplit(subset.csvName()));
        }
        return manifest.withEntries(entries);
    }
}
