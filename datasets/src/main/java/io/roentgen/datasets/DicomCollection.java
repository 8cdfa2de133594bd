package io.roentgen.datasets;

import io.roentgen.datasets.manifest.BadFilePolicy;
import io.roentgen.datasets.manifest.BadFileReport;
import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestEntry;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.datasets.manifest.PatientIdResolver;
import io.roentgen.engine.RoentgenException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV manifest with its files indexed and checked: patient IDs the manifest leaves blank come
 * from the DICOM headers ({@link DicomHeaderPatientIds}); files that cannot be used (missing, not
 * DICOM, no pixel data, unsupported syntax, truncated) are skipped and listed in the report, or
 * stop the load, per {@link BadFilePolicy}. The index is cached beside the manifest.
 *
 * @param manifest the usable entries only
 * @param files the index entries of every file the manifest names that exists, usable or not, in
 *     manifest order
 * @param badFiles what was skipped and why
 * @param index the index (already saved)
 */
public record DicomCollection(Manifest manifest, List<IndexedFile> files, BadFileReport badFiles, CollectionIndex index) {
    private static final System.Logger LOG = System.getLogger(DicomCollection.class.getName());

    public DicomCollection {
        files = List.copyOf(files);
    }

    public static DicomCollection load(Path manifestCsv, ManifestOptions options, BadFilePolicy policy)
            throws RoentgenException {
        CollectionIndex index = CollectionIndex.beside(manifestCsv);
        // Index every named file in parallel first; the manifest's resolver then hits the index.
        Manifest listed = Manifest.readCsv(manifestCsv, options.withPatientIdResolver(PatientIdResolver.NONE)
                .withBadFiles(new BadFileReport(BadFilePolicy.SKIP)));
        List<IndexedFile> files = index.entries(listed.entries().stream().map(ManifestEntry::path).toList());
        BadFileReport report = new BadFileReport(policy);
        Manifest manifest = Manifest.readCsv(manifestCsv,
                options.withPatientIdResolver(new DicomHeaderPatientIds(index)).withBadFiles(report));
        List<ManifestEntry> usable = new ArrayList<>(manifest.size());
        for (ManifestEntry entry : manifest.entries()) {
            IndexedFile file = index.entry(entry.path());
            if (file.usable()) {
                usable.add(entry);
            } else {
                report.skipOrFail(entry.path(), file.error() + " (manifest line " + entry.line() + ")", null);
            }
        }
        save(index);
        if (!report.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "{0} of {1} files skipped as unusable (see the bad-file report)",
                    report.count(), manifest.size());
        }
        return new DicomCollection(manifest.withEntries(usable), files, report, index);
    }

    /** Saves the index; a read-only collection folder only costs the next run the header reads. */
    static void save(CollectionIndex index) {
        try {
            index.save();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot write the collection index {0}: {1}", index.cacheFile(), e.getMessage());
        }
    }
}
