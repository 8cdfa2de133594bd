package io.roentgen.cli;

import io.roentgen.datasets.manifest.ManifestOptions;
import picocli.CommandLine.Option;

import java.util.List;

/** How a manifest's labels are read, shared by every command that reads one ({@code @Mixin}). */
final class ManifestFlags {
    @Option(names = "--multi-label", description = "Labels may hold several names separated by '|' (sigmoid per label).")
    boolean multiLabel;

    @Option(names = "--label-columns", split = ",", paramLabel = "COL[,COL...]",
            description = "One 0/1 column per finding instead of a label column (implies --multi-label).")
    List<String> labelColumns;

    ManifestOptions options() {
        ManifestOptions options = ManifestOptions.defaults();
        if (labelColumns != null && !labelColumns.isEmpty()) {
            return options.withLabelColumns(labelColumns);
        }
        return multiLabel ? options.withMultiLabel() : options;
    }

    boolean isMultiLabel() {
        return multiLabel || labelColumns != null && !labelColumns.isEmpty();
    }
}
