package io.roentgen.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The `./roentgen` launcher and the scripts it sources, for tests that run it from a folder of their own. */
final class LauncherFiles {
    private LauncherFiles() {}

    /** Copies the launcher and cli/src/main/sh/* from {@code repo} into {@code dir}, in the same layout. */
    static void copy(Path repo, Path dir) throws IOException {
        Files.copy(repo.resolve("roentgen"), dir.resolve("roentgen"));
        Path sh = Files.createDirectories(dir.resolve("cli/src/main/sh"));
        try (Stream<Path> scripts = Files.list(repo.resolve("cli/src/main/sh"))) {
            for (Path script : scripts.toList()) {
                Files.copy(script, sh.resolve(script.getFileName()));
            }
        }
    }
}
