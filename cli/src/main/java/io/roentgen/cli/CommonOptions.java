package io.roentgen.cli;

import picocli.CommandLine.Option;

/** Options every command shares, mixed in with {@code @Mixin}. */
public final class CommonOptions {
    @Option(names = "--verbose", description = "Show stack traces and debug details on errors.")
    boolean verbose;
}
