package io.roentgen.cli;

import picocli.CommandLine.Command;

/** {@code roentgen data}: look at and split collections. */
@Command(
        name = "data",
        mixinStandardHelpOptions = true,
        description = "Inspect a DICOM collection and split it by patient.",
        subcommands = {DataInspectCommand.class, DataSplitCommand.class},
        footer = {"", "Examples:", "  roentgen data inspect data/demo/manifest.csv",
            "  roentgen data split data/demo/manifest.csv --seed 1 --val 0.15 --test 0.15"})
final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
