package io.roentgen.cli;

import io.roentgen.engine.RoentgenException;
import io.roentgen.training.ResumeMode;
import picocli.CommandLine.Option;

/** {@code --resume [auto]} of {@code roentgen train} ({@code @Mixin}). */
final class ResumeOption {
    @Option(names = "--resume", arity = "0..1", fallbackValue = "latest", paramLabel = "auto",
            description = "Continue from the last checkpoint in --out (refused if its checksums do not match); "
                    + "--resume auto falls back to the last intact checkpoint.")
    String resume;

    ResumeMode mode() throws RoentgenException {
        if (resume == null) {
            return ResumeMode.OFF;
        }
        return switch (resume) {
            case "latest" -> ResumeMode.LATEST;
            case "auto" -> ResumeMode.AUTO;
            default -> throw new RoentgenException("--resume takes no value or 'auto', got '" + resume + "'", true, null);
        };
    }
}
