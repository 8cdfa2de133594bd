package io.roentgen.cli;

import io.roentgen.engine.RoentgenException;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Turns failures into one clear line on stderr and the documented exit code: 2 for a usage
 * error, 1 for anything at run time. {@code --verbose} adds the stack trace.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    static final int RUNTIME_ERROR = 1;
    static final int USAGE_ERROR = 2;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parseResult) {
        PrintWriter err = cli.getErr();
        boolean verbose = isVerbose(parseResult);
        if (e instanceof RoentgenException re) {
            err.println("roentgen: " + re.getMessage());
            trace(err, e, verbose);
            return re.isUsageError() ? USAGE_ERROR : RUNTIME_ERROR;
        }
        err.println("roentgen: unexpected error: " + describe(e) + (verbose ? "" : " (--verbose shows the stack trace)"));
        trace(err, e, verbose);
        return RUNTIME_ERROR;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        err.println("roentgen: " + e.getMessage());
        err.println("Try '" + cli.getCommandSpec().qualifiedName() + " --help' for usage.");
        return USAGE_ERROR;
    }

    private static boolean isVerbose(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    private static void trace(PrintWriter err, Exception e, boolean verbose) {
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
