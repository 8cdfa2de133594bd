package io.roentgen.cli;

import io.roentgen.dicom.DicomDumper;
import io.roentgen.dicom.DicomReader;
import io.roentgen.engine.RoentgenException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code roentgen dicom dump}: every element, dcmdump-style. */
@Command(
        name = "dump",
        mixinStandardHelpOptions = true,
        description = "Print every element of a DICOM file: tag, VR, length, name, value (like dcmdump).",
        footer = {"", "Examples:", "  roentgen dicom dump scan.dcm", "  roentgen dicom dump scan.dcm --max-value 200 | less"})
final class DicomDumpCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "FILE", description = "A DICOM file.")
    Path file;

    @Option(names = "--max-value", paramLabel = "CHARS", defaultValue = "64",
            description = "Truncate values longer than this many characters (default ${DEFAULT-VALUE}).")
    int maxValue;

    @Override
    public Integer call() throws RoentgenException {
        if (maxValue < 8) {
            throw RoentgenException.usage("--max-value must be at least 8, got " + maxValue);
        }
        System.out.print(new DicomDumper().maxValueChars(maxValue).dump(DicomFiles.read(file, DicomReader.defaults())));
        return 0;
    }
}
