package io.roentgen.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.engine.RoentgenException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {

    /** Every command, found by walking the command tree, has --help with an example. */
    @TestFactory
    Stream<DynamicTest> everyCommandHasHelpWithAnExample() {
        List<String[]> paths = new ArrayList<>();
        collect(Main.newCommandLine(), new ArrayList<>(), paths);
        assertTrue(paths.size() >= 20, "commands found: " + paths.size());
        return paths.stream().map(path -> DynamicTest.dynamicTest(String.join(" ", path) + " --help", () -> {
            String[] args = Stream.concat(Stream.of(path), Stream.of("--help")).toArray(String[]::new);
            CliRunner.Result r = CliRunner.run(args);
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("Usage:"), r.out());
            assertTrue(r.out().contains("Example"), "an example in the help of '" + String.join(" ", path) + "'");
        }));
    }

    private static void collect(CommandLine cli, List<String> prefix, List<String[]> out) {
        out.add(prefix.toArray(new String[0]));
        cli.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandSpec().userObject() instanceof CommandLine.HelpCommand) {
                return;
            }
            if (sub.getCommandSpec().name().equals(name)) {
                List<String> next = new ArrayList<>(prefix);
                next.add(name);
                collect(sub, next, out);
            }
        });
    }

    @Test
    void versionPrintsTheVersions() {
        CliRunner.Result r = CliRunner.run("--version");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith("roentgen 0."), r.out());
        assertTrue(r.out().contains("DJL 0.36.0, PyTorch 2.7.1"), r.out());
    }

    @Test
    void unknownCommandIsAUsageErrorInOneLinePlusAHint() {
        CliRunner.Result r = CliRunner.run("frobnicate");
        assertEquals(2, r.exitCode());
        assertEquals(2, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("frobnicate"));
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRunner.Result r = CliRunner.run("gpus", "--no-such-flag");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("Unknown option: '--no-such-flag'"), r.err());
    }

    @Test
    void gpusJsonParsesAndSaysCpuHere() {
        CliRunner.Result r = CliRunner.run("gpus", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertFalse(json.get("cudaAvailable").getAsBoolean());
        assertTrue(json.get("cudaMessage").getAsString().startsWith("no CUDA"));
        assertEquals("CPU", json.get("defaultDevice").getAsString());
        assertEquals(0, json.get("engineGpuCount").getAsInt());
    }

    @Test
    void gpusTableShowsTheNoCudaLineAndTheCpu() {
        CliRunner.Result r = CliRunner.run("gpus");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("CUDA:    no CUDA"), r.out());
        assertTrue(r.out().contains("Device:  CPU"), r.out());
        assertFalse(r.err().contains("WARN"), "DJL's CUDA warnings stay hidden: " + r.err());
    }

    @Test
    void infoJsonHasVersionsFlavourAndThreads() {
        CliRunner.Result r = CliRunner.run("info", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("0.36.0", json.get("djlVersion").getAsString());
        assertEquals("2.7.1", json.get("pytorchVersion").getAsString());
        assertEquals("cpu", json.get("libtorchFlavor").getAsString());
        assertTrue(json.get("libtorchPath").getAsString().contains("cpu"));
        assertEquals(1, json.get("interOpThreads").getAsInt());
        assertTrue(json.get("intraOpThreads").getAsInt() >= 1);
        assertEquals("CPU", json.getAsJsonObject("devices").get("defaultDevice").getAsString());
    }

    @Test
    void infoTextNamesEveryVersion() {
        CliRunner.Result r = CliRunner.run("info");
        assertEquals(0, r.exitCode(), r.err());
        for (String line : List.of("Roentgen ", "Java ", "DJL      0.36.0", "PyTorch  2.7.1", "Threads ", "Device:  CPU")) {
            assertTrue(r.out().contains(line), "missing '" + line + "' in\n" + r.out());
        }
    }

    @Command(name = "fails")
    static final class Failing implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Option(names = "--verbose")
        boolean verbose;

        @CommandLine.Option(names = "--usage")
        boolean usage;

        @Override
        public Integer call() throws RoentgenException {
            throw usage ? RoentgenException.usage("bad flag value") : new RoentgenException("file x.dcm is missing");
        }
    }

    @Test
    void runtimeAndUsageErrorsMapToExitCodesAndVerboseShowsTheTrace() {
        assertEquals(1, runFailing());
        assertEquals(2, runFailing("--usage"));
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cli = failingCli(err);
        assertEquals(1, cli.execute("--verbose"));
        assertTrue(err.toString().contains("roentgen: file x.dcm is missing"), err.toString());
        assertTrue(err.toString().contains("\tat "), "stack trace with --verbose");
    }

    private static int runFailing(String... args) {
        java.io.StringWriter err = new java.io.StringWriter();
        int code = failingCli(err).execute(args);
        assertEquals(1, err.toString().strip().lines().count(), "one line: " + err);
        return code;
    }

    private static CommandLine failingCli(java.io.StringWriter err) {
        CommandLine cli = new CommandLine(new Failing());
        ErrorHandler handler = new ErrorHandler();
        cli.setExecutionExceptionHandler(handler);
        cli.setParameterExceptionHandler(handler);
        cli.setErr(new java.io.PrintWriter(err, true));
        return cli;
    }
}
