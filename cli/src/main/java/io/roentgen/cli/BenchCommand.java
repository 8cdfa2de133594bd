package io.roentgen.cli;

import picocli.CommandLine.Command;

/** {@code roentgen bench}: measure throughput on this machine. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure Roentgen's throughput on this machine (medians over repetitions, warm-up excluded).",
        subcommands = {BenchDecodeCommand.class, BenchPreprocessCommand.class, BenchTrainCommand.class,
            BenchInferCommand.class, BenchServeCommand.class},
        footer = {"", "Examples:", "  roentgen bench decode /data/ct --repetitions 5", "  roentgen bench train --arch resnet18 --devices gpu",
            "  roentgen bench infer --model runs/demo/bundle --batch-sizes 1,8,32 --json"})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
