package io.roentgen.cli;

import io.roentgen.engine.EngineSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;

/**
 * The {@code roentgen} command. Each sub-command is its own thin class: parse, call the module
 * API, print. Exit codes: 0 success, 1 runtime error, 2 usage error.
 */
@Command(
        name = "roentgen",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "GPU-accelerated deep-learning imaging engine: DICOM in, trained models and predictions out.",
        footer = {"", "Examples:", "  roentgen info", "  roentgen gpus --json", "  roentgen dicom info scan.dcm", "  roentgen help dicom"})
public final class Main implements Runnable {
    /**
     * The sub-commands, in the order help lists them. Added in code rather than in the annotation
     * so that a run builds only the one it calls: picocli reflects over every command's options
     * when it builds a tree, and the whole tree cost 0.35 CPU s of a 0.65 s start (measured on
     * the 2-core build machine), more than a short `roentgen deid` spends on its files.
     */
    private static final List<Class<?>> SUBCOMMANDS = List.of(InfoCommand.class, GpusCommand.class, DicomCommand.class,
            SynthCommand.class, DataCommand.class, DeidCommand.class,
            ModelsCommand.class, TrainCommand.class, PredictCommand.class, ExplainCommand.class, EvaluateCommand.class,
            ServeCommand.class, BenchCommand.class, DemoCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code; the entry point tests use too. */
    public static int run(String... args) {
        EngineSettings.fromEnvironment().apply();
        return newCommandLine(args).execute(args);
    }

    /** The whole command tree. */
    static CommandLine newCommandLine() {
        return newCommandLine(SUBCOMMANDS);
    }

    /**
     * The tree these arguments need: only the named sub-command when the first argument names
     * one (its help and errors read the same, they name only it and its parent), none for
     * {@code --version} alone (which prints the same without them), otherwise every sub-command
     * ({@code roentgen}, {@code --help}, {@code help X}, a mistyped name).
     */
    static CommandLine newCommandLine(String... args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return newCommandLine(List.of());
        }
        if (args.length > 0) {
            for (Class<?> c : SUBCOMMANDS) {
                Command command = c.getAnnotation(Command.class);
                if (c != CommandLine.HelpCommand.class && (command.name().equals(args[0]) || List.of(command.aliases()).contains(args[0]))) {
                    return newCommandLine(List.of(c));
                }
            }
        }
        return newCommandLine(SUBCOMMANDS);
    }

    private static CommandLine newCommandLine(List<Class<?>> subcommands) {
        CommandLine cli = new CommandLine(new Main());
        // A loop, not forEach(cli::addSubcommand): building that method reference's lambda links
        // picocli.CommandLine when the start-up archive is dumped, and CDS then leaves the class
        // out (an old class file, picocli's Java 5 target, is archived only if still unlinked).
        for (Class<?> c : subcommands) {
            cli.addSubcommand(c);
        }
        ErrorHandler handler = new ErrorHandler();
        cli.setExecutionExceptionHandler(handler);
        cli.setParameterExceptionHandler(handler);
        return cli;
    }

    @Override
    public void run() {
        // `roentgen` alone: show what there is to do.
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
