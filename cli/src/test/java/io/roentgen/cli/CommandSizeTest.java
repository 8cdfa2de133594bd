package io.roentgen.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commands are thin: they parse flags and print, and the work lives in the modules' APIs. No
 * source file of the CLI may pass {@value #MAX_LINES} lines (docs/DECISIONS.md).
 */
class CommandSizeTest {
    static final int MAX_LINES = 150;

    @Test
    void noCliSourceFileIsLongerThanTheLimit() throws IOException {
        Path sources = Path.of("src", "main", "java"); // surefire runs in the module's folder
        assertTrue(Files.isDirectory(sources.resolve("io/roentgen/cli")), sources.toAbsolutePath() + " is the CLI's source");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertTrue(files.stream().anyMatch(p -> p.endsWith("ServeCommand.java")), "found the commands: " + files);
        List<String> tooLong = files.stream().map(CommandSizeTest::describe).filter(s -> !s.isEmpty()).toList();
        assertEquals(List.of(), tooLong, "over " + MAX_LINES + " lines: move the work into a module's API");
    }

    private static String describe(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            long count = lines.count();
            return count > MAX_LINES ? file.getFileName() + " (" + count + " lines)" : "";
        } catch (IOException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
    }
}
