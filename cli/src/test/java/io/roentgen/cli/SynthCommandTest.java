package io.roentgen.cli;

import io.roentgen.datasets.synth.HardPhantom;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What `roentgen synth` gives a user who leaves the hard task's options out. */
class SynthCommandTest {
    /** The README's AUROC for the documented commands is measured at the library's default. */
    @Test
    void contrastDefaultIsTheHardTasksDefault() {
        SynthCommand command = new SynthCommand();
        new CommandLine(command).parseArgs("--out", "unused", "--difficulty", "hard");
        assertEquals(HardPhantom.DEFAULT_CONTRAST, command.contrast);
    }
}
