package io.roentgen.cli;

import io.roentgen.datasets.CollectionIndex;
import io.roentgen.datasets.CollectionSummary;
import io.roentgen.datasets.DicomCollection;
import io.roentgen.datasets.IdentifierWarning;
import io.roentgen.datasets.IndexedFile;
import io.roentgen.datasets.manifest.BadFilePolicy;
import io.roentgen.datasets.manifest.BadFileReport;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.engine.RoentgenException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code roentgen data inspect}: what a collection holds, from headers only (indexed once and
 * cached beside the manifest or in the folder). Unusable files are listed with their reasons; they
 * do not change the exit code, since finding them is the point.
 */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = {"Summarise a collection: files by modality, size, transfer syntax, photometric and label;",
            "patients and studies; unusable files with reasons. A folder is searched recursively."},
        footer = {"", "Examples:", "  roentgen data inspect data/demo/manifest.csv", "  roentgen data inspect /archive/ct --json"})
final class DataInspectCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "MANIFEST|DIR", description = "A CSV manifest, or a folder of DICOM files.")
    Path target;

    @Mixin
    ManifestFlags manifestFlags;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Override
    public Integer call() throws RoentgenException {
        CollectionSummary summary = Files.isDirectory(target) ? ofFolder() : ofManifest();
        IdentifierWarning.check(target).ifPresent(System.err::println);
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("collection", target.toString());
            o.put("files", summary.files());
            o.put("usable", summary.usable());
            o.put("patients", summary.patients());
            o.put("studies", summary.studies());
            o.put("modalities", summary.modalities());
            o.put("sizes", summary.sizes());
            o.put("transferSyntaxes", summary.transferSyntaxes());
            o.put("photometric", summary.photometric());
            o.put("labels", summary.labels());
            o.put("unusable", summary.unusable().stream()
                    .map(f -> Json.pathAndReason(f.path(), f.reason())).toList());
            System.out.println(Json.of(o));
        } else {
            print(summary);
        }
        return 0;
    }

    private CollectionSummary ofManifest() throws RoentgenException {
        if (!Files.isRegularFile(target)) {
            throw RoentgenException.usage(target + ": no such manifest or folder");
        }
        ManifestOptions options = manifestFlags.options();
        DicomCollection collection = DicomCollection.load(target, options, BadFilePolicy.SKIP);
        return CollectionSummary.of(collection.files(), collection.manifest(), collection.badFiles());
    }

    private CollectionSummary ofFolder() throws RoentgenException {
        CollectionIndex index = CollectionIndex.beside(target);
        List<IndexedFile> files = index.entries(listFiles());
        try {
            index.save();
        } catch (IOException e) {
            System.err.println("roentgen: cannot cache the index in " + index.cacheFile() + ": " + e.getMessage());
        }
        return CollectionSummary.of(files, null, new BadFileReport(BadFilePolicy.SKIP));
    }

    /** Every regular file below the folder except hidden ones (the index) and manifests/metadata. */
    private List<Path> listFiles() throws RoentgenException {
        try (Stream<Path> walk = Files.walk(target)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> !p.getFileName().toString().matches("(?i).*\\.(csv|json)$"))
                    .sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new RoentgenException(target + ": cannot list: " + e.getMessage(), false, e);
        }
    }

    private void print(CollectionSummary s) {
        System.out.println(target);
        row("Files", s.files() + " (" + s.usable() + " usable, " + s.unusable().size() + " unusable)");
        row("Patients", Integer.toString(s.patients()));
        row("Studies", Integer.toString(s.studies()));
        row("Modality", counts(s.modalities()));
        row("Size", counts(s.sizes()));
        row("Transfer syntax", counts(s.transferSyntaxes()));
        row("Photometric", counts(s.photometric()));
        if (!s.labels().isEmpty()) {
            row("Labels", counts(s.labels()));
        }
        if (!s.unusable().isEmpty()) {
            System.out.println("Unusable files:");
            s.unusable().forEach(f -> System.out.println("  " + f.path() + ": " + f.reason()));
        }
    }

    private static void row(String name, String value) {
        System.out.printf("  %-16s %s%n", name, value.isEmpty() ? "-" : value);
    }

    private static String counts(Map<String, Integer> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
    }
}
