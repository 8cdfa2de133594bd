package io.roentgen.cli;

import io.roentgen.engine.EngineSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code roentgen} command. Each sub-command is its own thin class: parse, call the module
 * API, print. Exit codes: 0 success, 1 runtime error, 2 usage error.
 */
@Command(
        name = "roentgen",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "GPU-accelerated deep-learning imaging engine: DICOM in, trained models and predictions out.",
        subcommands = {InfoCommand.class, GpusCommand.class, DicomCommand.class,
            SynthCommand.class, DataCommand.class, DeidCommand.class,
            ModelsCommand.class, TrainCommand.class, PredictCommand.class, ExplainCommand.class, EvaluateCommand.class,
            ServeCommand.class, BenchCommand.class, DemoCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Examples:", "  roentgen info", "  roentgen gpus --json", "  roentgen dicom info scan.dcm", "  roentgen help dicom"})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code; the entry point tests use too. */
    public static int run(String... args) {
        EngineSettings.fromEnvironment().apply();
        return newCommandLine().execute(args);
    }

    static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new Main());
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
