package io.roentgen.datasets.dataset;

import io.roentgen.datasets.synth.SynthResult;
import io.roentgen.datasets.synth.SynthSpec;
import io.roentgen.datasets.synth.SyntheticCollection;
import io.roentgen.engine.RoentgenException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A small synthetic collection written into a test's folder, with a copy helper for tests that damage files. */
final class SynthFixture {
    private SynthFixture() {}

    static SynthResult write(Path folder, int patients) throws RoentgenException {
        return SyntheticCollection.write(folder, SynthSpec.defaults(patients));
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
