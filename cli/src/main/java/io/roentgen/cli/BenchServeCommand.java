package io.roentgen.cli;

import io.roentgen.benchmarks.Stats;
import io.roentgen.benchmarks.serve.HttpLoad;
import io.roentgen.benchmarks.serve.LoadRow;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.scoring.DicomInputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code roentgen bench serve}: the flags and the print-out of {@link HttpLoad}, the closed-loop
 * HTTP load generator of the benchmarks module, against a running server.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Load a running Roentgen server with DICOM classify requests: throughput, latency percentiles, errors by status.",
        footer = {"", "Examples:", "  roentgen bench serve --url http://127.0.0.1:8080 --model demo --dicom demo/patient-0001",
            "  roentgen bench serve --url http://127.0.0.1:8080 --model cxr --dicom /data/cxr --concurrency 1,8,32 --duration 30s --warmup 5s --json",
            "  roentgen bench serve --url http://127.0.0.1:8080 --model demo --dicom demo --concurrency 1,2,4,8,16 --plot serve.png",
            "  roentgen bench serve --url http://127.0.0.1:8000 --model cxr --dicom scan.dcm   (any server with POST /v1/models/M/classify)"})
final class BenchServeCommand implements java.util.concurrent.Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--url", required = true, description = "Server base URL, e.g. http://127.0.0.1:8080.")
    String url;

    @Option(names = "--model", required = true, description = "Model name in the server's repository.")
    String model;

    @Option(names = "--dicom", required = true, paramLabel = "DIR|FILE", description = "DICOM files to send, round robin.")
    List<Path> dicom;

    @Option(names = "--concurrency", split = ",", defaultValue = "1,8,32", description = "Client counts (default ${DEFAULT-VALUE}).")
    List<Integer> concurrency;

    @Option(names = "--duration", defaultValue = "10s", description = "Measured time per client count and repetition, e.g. 30s, 2m (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--warmup", defaultValue = "5s", description = "Unmeasured time before the repetitions of each client count (default ${DEFAULT-VALUE}).")
    String warmup;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Bearer token for a server started with --auth-token-file.")
    Path tokenFile;

    @Option(names = "--ca-cert", paramLabel = "PEM", description = "Trust these CA certificates for an https:// server (e.g. a test CA).")
    Path caCert;

    @Option(names = "--repetitions", defaultValue = "3",
            description = "Measured runs of --duration per client count, after one warm-up; medians and spread over them (default ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--http2", description = "Ask the server for HTTP/2 (an h2c upgrade on plain http://); default: HTTP/1.1.")
    boolean http2;

    @Mixin
    BenchOutput output;

    @Override
    public Integer call() throws Exception {
        Duration measured = parseDuration(duration, "--duration");
        Duration warm = parseDuration(warmup, "--warmup");
        if (concurrency.stream().anyMatch(c -> c < 1 || c > 1024)) {
            throw RoentgenException.usage("--concurrency values must be 1 to 1024");
        }
        BenchOutput.checkRepetitions(repetitions);
        output.checkPlot();
        String token = tokenFile == null ? null : Files.readString(tokenFile).strip();
        HttpLoad load = new HttpLoad(HttpLoad.classifyUri(url, model), token, HttpLoad.readBodies(DicomInputs.expand(dicom)),
                http2 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
        if (caCert != null) {
            load.trustingCa(caCert);
        }
        List<LoadRow> rows = load.sweep(concurrency, warm, measured, repetitions);
        print(rows, measured, warm);
        if (output.wantsPlot()) {
            Map<String, Function<LoadRow, Stats.Spread>> latencies = new LinkedHashMap<>();
            latencies.put("p50", LoadRow::p50Ms);
            latencies.put("p99", LoadRow::p99Ms);
            output.writePlot(BenchPlots.throughputAndLatency("bench serve " + model, "concurrent clients", rows,
                    LoadRow::clients, "images/s", LoadRow::imagesPerSecond, "latency per request", latencies));
        }
        return rows.stream().allMatch(r -> r.errors().isEmpty()) ? 0 : ErrorHandler.RUNTIME_ERROR;
    }

    static Duration parseDuration(String text, String option) throws RoentgenException {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            }
            if (t.endsWith("m")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
            }
        } catch (NumberFormatException e) {
            // fall through to the usage error
        }
        throw RoentgenException.usage(option + " must look like 500ms, 30s or 2m, not '" + text + "'");
    }

    private void print(List<LoadRow> rows, Duration measured, Duration warm) {
        if (output.json) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("url", url);
            settings.put("model", model);
            settings.put("http", http2 ? "HTTP/2" : "HTTP/1.1");
            settings.put("instances", dicom.toString());
            settings.put("secondsPerRepetition", measured.toMillis() / 1000.0);
            settings.put("warmUpSeconds", warm.toMillis() / 1000.0);
            System.out.println(Json.of(BenchOutput.report("serve", settings, repetitions, rows)));
            return;
        }
        System.out.printf("%d repetition%s of %s per client count; median (min-max) over repetitions%n", repetitions,
                repetitions == 1 ? "" : "s", duration);
        System.out.printf("%-8s %9s %-24s %-22s %-22s %-22s %-22s %s%n", "clients", "requests", "images/s", "p50 ms",
                "p90 ms", "p99 ms", "max ms", "errors");
        for (LoadRow r : rows) {
            System.out.printf("%-8d %9d %-24s %-22s %-22s %-22s %-22s %s%n", r.clients(), r.requests(),
                    BenchOutput.spread(r.imagesPerSecond(), 1), BenchOutput.spread(r.p50Ms(), 1),
                    BenchOutput.spread(r.p90Ms(), 1), BenchOutput.spread(r.p99Ms(), 1), BenchOutput.spread(r.maxMs(), 1),
                    r.errors());
        }
        for (LoadRow r : rows) {
            r.transportErrors().forEach((cause, n) -> System.out.printf("%d clients: %d with no HTTP answer: %s%n",
                    r.clients(), n, cause));
        }
    }
}
