package io.roentgen.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A command run as its own process, its output going to files: nothing here blocks on a pipe,
 * and every wait has a deadline (a child that outlives it is killed and the test fails).
 */
final class ChildProcess {
    static final Path JAR = Path.of("target", "roentgen.jar").toAbsolutePath();

    record Result(int code, String out, String err) {}

    private final Process process;
    private final Path out;
    private final Path err;

    private ChildProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** {@code java [jvmFlags] -jar roentgen.jar args}, stdout and stderr into {@code logs}. */
    static ChildProcess startJar(Path logs, List<String> jvmFlags, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        return start(new ProcessBuilder(command), logs);
    }

    /** Any command, stdout and stderr into files in {@code logs} (created). */
    static ChildProcess start(ProcessBuilder builder, Path logs) throws IOException {
        Files.createDirectories(logs);
        Path out = Files.createTempFile(logs, "stdout-", ".txt");
        Path err = Files.createTempFile(logs, "stderr-", ".txt");
        Process process = builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new ChildProcess(process, out, err);
    }

    /** Runs {@code roentgen args} from the packaged jar to the end. */
    static Result runJar(Path logs, Duration timeout, String... args) throws IOException, InterruptedException {
        return startJar(logs, List.of(), args).finish(timeout);
    }

    static Result run(ProcessBuilder builder, Path logs, Duration timeout) throws IOException, InterruptedException {
        return start(builder, logs).finish(timeout);
    }

    long pid() {
        return process.pid();
    }

    String out() throws IOException {
        return new String(Files.readAllBytes(out), StandardCharsets.UTF_8);
    }

    String err() throws IOException {
        return new String(Files.readAllBytes(err), StandardCharsets.UTF_8);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the exit; past the deadline the process is killed and the test fails. */
    Result finish(Duration timeout) throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            fail("still running after " + timeout + "; killed. stdout:\n" + out() + "\nstderr:\n" + err());
        }
        return new Result(process.exitValue(), out(), err());
    }

    /** Sends a real SIGTERM with {@code kill}, as a service manager would. */
    void sigterm() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            fail("kill -TERM " + process.pid() + " failed");
        }
    }

    /** Kills what is left (the test's safety net; a passing test has already seen the exit). */
    void destroy() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
