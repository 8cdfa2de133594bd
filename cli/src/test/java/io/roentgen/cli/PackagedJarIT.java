package io.roentgen.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shaded jar as users run it: from the launcher's classpath and with `java -jar`. */
class PackagedJarIT {
    private static final Path TARGET = Path.of("target");
    private static final Path JAR = TARGET.resolve("roentgen.jar");
    private static final Path CPU_NATIVE = TARGET.resolve("native/pytorch-native-cpu.jar");

    @TempDir
    Path logs;

    private ChildProcess.Result java(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(args));
        return ChildProcess.run(new ProcessBuilder(cmd), logs, Duration.ofSeconds(120));
    }

    @Test
    void theCpuLibtorchStaysOutOfTheShadedJar() throws IOException {
        assertTrue(Files.size(JAR) < 80L * 1024 * 1024, "the 100+ MB CPU libtorch is not shaded in");
        assertTrue(Files.exists(CPU_NATIVE));
    }

    @Test
    void launcherClasspathLoadsTheCpuLibtorchOffline() throws Exception {
        ChildProcess.Result r = java("-cp", JAR + ":" + CPU_NATIVE, "io.roentgen.cli.Main", "info", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("cpu", json.get("libtorchFlavor").getAsString());
        assertTrue(json.get("offline").getAsBoolean());
        assertFalse(r.err().contains("WARN"), r.err());
    }

    @Test
    void javaDashJarFindsTheCpuLibtorchNextToIt() throws Exception {
        ChildProcess.Result r = java("-jar", JAR.toString(), "gpus");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Engine:  PyTorch 2.7.1 (libtorch cpu)"), r.out());
    }

    @Test
    void theLauncherPreloadsJemallocThatKeepsFreedMemoryElseTunesGlibc() throws Exception {
        assertTrue(Files.isReadable(Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2")),
                "libjemalloc2 is installed (.ci/run)");
        JsonObject jemalloc = launcherInfo(Map.of());
        assertEquals("jemalloc MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1", jemalloc.get("malloc").getAsString());
        boolean amd = Files.readString(Path.of("/proc/cpuinfo")).contains("AuthenticAMD");
        assertEquals(amd ? "MKL Intel kernels on this AMD CPU" : "MKL default", jemalloc.get("blas").getAsString());

        JsonObject glibc = launcherInfo(Map.of("ROENTGEN_JEMALLOC", "none"));
        assertEquals("MALLOC_ARENA_MAX=1 MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=17179869184",
                glibc.get("malloc").getAsString());
        JsonObject defaults = launcherInfo(Map.of("ROENTGEN_KEEP_FREED_MEMORY", "0"));
        assertEquals("glibc defaults", defaults.get("malloc").getAsString());
    }

    @Test
    void theLauncherSelectsAtensAvx512KernelsOnlyWhereTheCpuHasThem() throws Exception {
        String flags = " " + Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("flags")).findFirst().orElse("") + " ";
        boolean avx512 = List.of("avx512f", "avx512bw", "avx512vl", "avx512dq", "fma").stream()
                .allMatch(f -> flags.contains(" " + f + " "));
        assertEquals(avx512 ? "ATEN_CPU_CAPABILITY=avx512" : "libtorch default",
                launcherInfo(Map.of()).get("atenKernels").getAsString());
        assertEquals("libtorch default", launcherInfo(Map.of("ROENTGEN_ATEN_AVX512", "0")).get("atenKernels").getAsString());
        assertEquals("ATEN_CPU_CAPABILITY=avx2",
                launcherInfo(Map.of("ATEN_CPU_CAPABILITY", "avx2")).get("atenKernels").getAsString());
    }

    /** {@code ./roentgen info --json} with the given variables over a clean malloc environment. */
    private JsonObject launcherInfo(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", Path.of("..", "roentgen").toString(), "info", "--json");
        for (String name : List.of("LD_PRELOAD", "MALLOC_CONF", "MALLOC_ARENA_MAX", "MALLOC_MMAP_MAX_",
                "MALLOC_TRIM_THRESHOLD_", "ROENTGEN_JEMALLOC", "ROENTGEN_KEEP_FREED_MEMORY", "ATEN_CPU_CAPABILITY",
                "ROENTGEN_ATEN_AVX512")) {
            builder.environment().remove(name);
        }
        builder.environment().putAll(env);
        ChildProcess.Result r = ChildProcess.run(builder, logs, Duration.ofSeconds(120));
        assertEquals(0, r.code(), r.err());
        return JsonParser.parseString(r.out()).getAsJsonObject();
    }
}
