package io.roentgen.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The real launcher: the shaded job jar run by {@code org.apache.spark.deploy.SparkSubmit} in a
 * child JVM, local[2], the CPU libtorch shipped with {@code --jars}, as on a cluster. The Spark
 * distribution cannot be downloaded here, so the launcher runs from the Maven artifacts of
 * spark-sql (its classpath is this test's, less everything the job jar must bring itself: our
 * modules, DJL, and their own libraries), which is the same SparkSubmit main class.
 *
 * <p>Under the {@code spark4} profile the same jar runs on Spark 4.0 instead: the classpath comes
 * from {@code roentgen.spark.classpath.file} (Spark 4's artifacts only) and the JVM gets the flags
 * Spark 4 adds ({@code roentgen.spark.extra.jvm}).
 */
class SparkSubmitIT {
    /** What the job jar must carry; none of it may come from the launcher's classpath. */
    private static final List<String> OURS = List.of("/io/roentgen/", "/ai/djl/", "/org/jfree/", "/jai-imageio",
            "/jcuda", "/org/junit/", "/opentest4j/", "/apiguardian/");

    @Test
    void scoreJobRunsFromTheShadedJarThroughSparkSubmit() throws Exception {
        Path[] made = SparkFixture.made();
        Path bundle;
        Path folder;
        if (made != null) {
            bundle = made[0];
            folder = made[1];
        } else {
            SparkFixture f = SparkFixture.get();
            bundle = f.bundle;
            folder = f.scoreFolder;
        }
        Path jar = Path.of(System.getProperty("roentgen.spark.jar"));
        assertTrue(Files.isRegularFile(jar), jar + " (run after package)");
        Path out = Files.createTempDirectory(Path.of("target"), "submit").toAbsolutePath().resolve("scores.parquet");

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Xmx1g"));
        command.addAll(Arrays.asList(System.getProperty("spark.module.options").trim().split("\\s+")));
        String extra = System.getProperty("roentgen.spark.extra.jvm", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(Arrays.asList(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", sparkClasspath(), "org.apache.spark.deploy.SparkSubmit",
                "--master", "local[2]", "--class", "io.roentgen.spark.ScoreJob",
                "--jars", System.getProperty("roentgen.libtorch.jar"),
                "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1",
                jar.toString(), "--input", folder.toString(), "--model", bundle.toString(), "--output", out.toString(),
                "--filter", "*.dcm", "--partitions", "4"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("roentgen score: "), log);
        String version = System.getProperty("roentgen.spark.classpath.file") == null ? "3.5." : "4.0.";
        assertTrue(log.contains("Running Spark version " + version), "Spark " + version + "x ran the job");

        JsonObject summary = JsonParser.parseString(Files.readString(Path.of(out + ".summary.json"))).getAsJsonObject();
        JsonObject byStatus = summary.getAsJsonObject("byStatus");
        // 5 transfer syntaxes' files and 2 non-empty corrupt ones (Spark skips the empty file).
        assertEquals(2, byStatus.get("failed").getAsLong(), summary.toString());
        assertTrue(byStatus.get("scored").getAsLong() >= 5, summary.toString());
        assertTrue(Files.isDirectory(out));
    }

    /** The test's classpath less our reactor's outputs (this module's jar included) and {@link #OURS}. */
    private static String sparkClasspath() throws java.io.IOException {
        String file = System.getProperty("roentgen.spark.classpath.file");
        if (file != null && !file.isBlank()) {
            return Files.readString(Path.of(file)).trim();
        }
        String reactor = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent().toString();
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !Path.of(e).toAbsolutePath().startsWith(reactor))
                .filter(e -> OURS.stream().noneMatch(e.replace('\\', '/')::contains))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
