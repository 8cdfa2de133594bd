package io.roentgen.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.engine.CudaReport;
import io.roentgen.engine.DeviceInventory;
import io.roentgen.engine.Devices;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.GpuInfo;
import io.roentgen.engine.RoentgenException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /** The command prints this machine's inventory: the driver's GPUs where it has some, else the CPU line. */
    @Test
    void gpusJsonIsThisMachinesInventory() {
        CliRunner.Result r = CliRunner.run("gpus", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        DeviceInventory here = Devices.inventory(EngineSettings.fromEnvironment());
        assertEquals(here.cuda().available(), json.get("cudaAvailable").getAsBoolean());
        assertEquals(here.cuda().message(), json.get("cudaMessage").getAsString());
        assertEquals(here.gpus().size(), json.getAsJsonArray("gpus").size());
        assertEquals(here.defaultDevice(), json.get("defaultDevice").getAsString());
        assertEquals(here.engineGpuCount(), json.get("engineGpuCount").getAsInt());
        assertEquals(here.libtorchFlavor(), json.get("libtorchFlavor").getAsString());
        if (!here.cuda().available()) {
            assertTrue(json.get("cudaMessage").getAsString().startsWith("no CUDA"));
            assertEquals("CPU", json.get("defaultDevice").getAsString());
        }
    }

    @Test
    void gpusTableShowsThisMachinesDriverLineAndDevice() {
        CliRunner.Result r = CliRunner.run("gpus");
        assertEquals(0, r.exitCode(), r.err());
        DeviceInventory here = Devices.inventory(EngineSettings.fromEnvironment());
        assertTrue(r.out().contains("CUDA:    " + here.cuda().message()), r.out());
        assertTrue(r.out().contains("Device:  " + here.defaultDevice()), r.out());
        assertEquals(here.gpus().size() + (here.gpus().isEmpty() ? 0 : 1),
                r.out().lines().filter(l -> l.startsWith("  ")).count(), "a header and one row per GPU: " + r.out());
        assertFalse(r.err().contains("WARN"), "DJL's CUDA warnings stay hidden: " + r.err());
    }

    @Test
    void gpusTableListsEachGpuAndWarnsWhenTheCpuLibtorchCannotUseThem() {
        CudaReport driver = CudaReport.ofDriver("12.8", List.of(
                new GpuInfo(0, "NVIDIA H100 80GB HBM3", 9, 0, 80L << 30, 79L << 30),
                new GpuInfo(1, "NVIDIA A10", 8, 6, 24L << 30, -1)));
        DeviceInventory inventory = new DeviceInventory("PyTorch", "2.7.1", "0.36.0", "cpu", "/x/2.7.1-cpu-linux-x86_64",
                0, null, driver);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        GpusCommand.printTable(inventory, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("CUDA:    CUDA driver 12.8, 2 GPUs", lines.get(0));
        assertTrue(lines.get(2).matches("  0 +NVIDIA H100 80GB HBM3 +9\\.0 +80(\\.0)? GiB +79(\\.0)? GiB"), lines.get(2));
        assertTrue(lines.get(3).matches("  1 +NVIDIA A10 +8\\.6 +24(\\.0)? GiB +\\?"), lines.get(3));
        assertEquals("Engine:  PyTorch 2.7.1 (libtorch cpu), usable GPUs: 0", lines.get(4));
        assertEquals("Device:  CPU (what --devices auto selects)", lines.get(5));
        assertTrue(lines.get(6).startsWith("Warning: the CUDA driver sees 2 GPU(s)"), lines.get(6));

        DeviceInventory cuda = new DeviceInventory("PyTorch", "2.7.1", "0.36.0", "cu128", "/opt/libtorch/lib", 2, null, driver);
        Map<String, Object> json = GpusCommand.toJson(cuda);
        assertEquals("GPU x 2", json.get("defaultDevice"));
        assertEquals(2, json.get("engineGpuCount"));
        assertEquals(null, json.get("warning"));
        assertEquals(driver.gpus(), json.get("gpus"));
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
        JsonObject precision = json.getAsJsonObject("autoPrecision");
        assertEquals("cpu()", precision.get("device").getAsString());
        // bf16 exactly where this CPU computes it natively, and always a reason
        boolean nativeBf16 = cpuFlag("amx_bf16") || cpuFlag("avx512_bf16");
        assertEquals(nativeBf16 ? "bf16" : "fp32", precision.get("precision").getAsString());
        assertTrue(precision.get("reason").getAsString().startsWith("auto: "));
    }

    private static boolean cpuFlag(String flag) {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .anyMatch(l -> l.startsWith("flags") && List.of(l.split("\\s+")).contains(flag));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void infoTextNamesEveryVersion() {
        CliRunner.Result r = CliRunner.run("info");
        assertEquals(0, r.exitCode(), r.err());
        for (String line : List.of("Roentgen ", "Java ", "DJL      0.36.0", "PyTorch  2.7.1", "Threads ", "Device:  CPU", "Precision --precision auto on cpu(): ")) {
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
