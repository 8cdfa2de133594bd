package io.roentgen.datasets.split;

import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestEntry;
import java.util.ArrayList;
import java.util.List;

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
