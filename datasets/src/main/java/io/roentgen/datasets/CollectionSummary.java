package io.roentgen.datasets;

import io.roentgen.datasets.manifest.BadFileReport;
import io.roentgen.dicom.TransferSyntax;
import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestEntry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code roentgen data inspect} prints: counts of a collection's files by modality, size,
 * transfer syntax, photometric interpretation and (with a manifest) label, distinct patients and
 * studies, and every unusable file with its reason. Patient IDs are counted, never listed.
 *
 * @param files files indexed
 * @param usable files that passed the checks
 * @param patients distinct patient IDs among usable files
 * @param studies distinct study UIDs among usable files
 * @param modalities usable files per modality
 * @param sizes usable files per "rows x columns" (and frames when more than one)
 * @param transferSyntaxes usable files per transfer syntax name
 * @param photometric usable files per photometric interpretation
 * @param labels images per class (usable manifest entries), empty without a manifest
 * @param unusable the files that cannot be used, with the reason
 */
public record CollectionSummary(
        int files,
        int usable,
        int patients,
        int studies,
        Map<String, Integer> modalities,
        Map<String, Integer> sizes,
        Map<String, Integer> transferSyntaxes,
        Map<String, Integer> photometric,
        Map<String, Integer> labels,
        List<BadFileReport.BadFile> unusable) {

    /**
     * @param indexed every file looked at
     * @param manifest the usable labelled entries, or null for a plain folder
     * @param skipped files skipped before indexing (missing from disk), or null
     */
    public static CollectionSummary of(List<IndexedFile> indexed, Manifest manifest, BadFileReport skipped) {
        Map<String, Integer> modalities = new TreeMap<>();
        Map<String, Integer> sizes = new TreeMap<>();
        Map<String, Integer> syntaxes = new TreeMap<>();
        Map<String, Integer> photometric = new TreeMap<>();
        Set<String> patients = new HashSet<>();
        Set<String> studies = new HashSet<>();
        List<BadFileReport.BadFile> unusable = new ArrayList<>();
        Set<java.nio.file.Path> reported = new HashSet<>();
        int usable = 0;
        for (IndexedFile f : indexed) {
            if (!f.usable()) {
                unusable.add(new BadFileReport.BadFile(f.path(), f.error()));
                reported.add(f.path());
                continue;
            }
            usable++;
            count(modalities, f.modality() == null ? "(none)" : f.modality());
            count(sizes, f.rows() + " x " + f.columns() + (f.frames() > 1 ? " x " + f.frames() + " frames" : ""));
            String syntax = TransferSyntax.nameOf(f.transferSyntaxUid());
            count(syntaxes, syntax == null ? f.transferSyntaxUid() : syntax);
            count(photometric, f.photometric() == null ? "(none)" : f.photometric());
            if (f.patientId() != null) {
                patients.add(f.patientId());
            }
            if (f.studyUid() != null) {
                studies.add(f.studyUid());
            }
        }
        if (skipped != null) {
            skipped.files().stream().filter(b -> !reported.contains(b.path())).forEach(unusable::add);
        }
        return new CollectionSummary(indexed.size(), usable, patients.size(), studies.size(), modalities, sizes,
                syntaxes, photometric, labels(manifest), unusable);
    }

    private static Map<String, Integer> labels(Manifest manifest) {
        Map<String, Integer> labels = new LinkedHashMap<>();
        if (manifest == null) {
            return labels;
        }
        manifest.classNames().forEach(c -> labels.put(c, 0));
        for (ManifestEntry entry : manifest.entries()) {
            entry.labelNames().forEach(name -> labels.merge(name, 1, Integer::sum));
        }
        return labels;
    }

    private static void count(Map<String, Integer> counts, String key) {
        counts.merge(key, 1, Integer::sum);
    }
}
