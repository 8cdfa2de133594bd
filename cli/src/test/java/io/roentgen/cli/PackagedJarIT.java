package io.roentgen.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shaded jar as users run it: from the launcher's classpath and with `java -jar`. */
class PackagedJarIT {
    private static final Path TARGET = Path.of("target");
    private static final Path JAR = TARGET.resolve("roentgen.jar");
    private static final Path CPU_NATIVE = TARGET.resolve("native/pytorch-native-cpu.jar");

    record Run(int code, String out, String err) {}

    private static Run java(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void theCpuLibtorchStaysOutOfTheShadedJar() throws IOException {
        assertTrue(Files.size(JAR) < 80L * 1024 * 1024, "the 100+ MB CPU libtorch is not shaded in");
        assertTrue(Files.exists(CPU_NATIVE));
    }

    @Test
    void launcherClasspathLoadsTheCpuLibtorchOffline() throws Exception {
        Run r = java("-cp", JAR + ":" + CPU_NATIVE, "io.roentgen.cli.Main", "info", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("cpu", json.get("libtorchFlavor").getAsString());
        assertTrue(json.get("offline").getAsBoolean());
        assertFalse(r.err().contains("WARN"), r.err());
    }

    @Test
    void javaDashJarFindsTheCpuLibtorchNextToIt() throws Exception {
        Run r = java("-jar", JAR.toString(), "gpus");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Engine:  PyTorch 2.7.1 (libtorch cpu)"), r.out());
    }
}
