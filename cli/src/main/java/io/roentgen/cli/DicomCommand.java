package io.roentgen.cli;

import picocli.CommandLine.Command;

/** {@code roentgen dicom}: look inside DICOM files. */
@Command(
        name = "dicom",
        mixinStandardHelpOptions = true,
        description = "Inspect DICOM files: summary, full dump, pixels as NumPy.",
        subcommands = {DicomInfoCommand.class, DicomDumpCommand.class, DicomPixelsCommand.class},
        footer = {"", "Examples:", "  roentgen dicom info scan.dcm", "  roentgen dicom dump scan.dcm",
            "  roentgen dicom pixels scan.dcm -o scan.npy --rescaled"})
final class DicomCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
