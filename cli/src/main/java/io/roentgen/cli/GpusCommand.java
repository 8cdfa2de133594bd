package io.roentgen.cli;

import io.roentgen.engine.DeviceInventory;
import io.roentgen.engine.Devices;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.GpuInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code roentgen gpus}: the GPU inventory from the CUDA driver and the PyTorch engine. */
@Command(
        name = "gpus",
        mixinStandardHelpOptions = true,
        description = "List the GPUs the CUDA driver reports and the ones the PyTorch engine can use.",
        footer = {"", "Examples:", "  roentgen gpus", "  roentgen gpus --json"})
final class GpusCommand implements java.util.concurrent.Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        DeviceInventory inventory = Devices.inventory(EngineSettings.fromEnvironment());
        PrintStream out = System.out;
        if (json) {
            out.println(Json.of(toJson(inventory)));
        } else {
            printTable(inventory, out);
        }
        return 0;
    }

    static Map<String, Object> toJson(DeviceInventory inventory) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cudaAvailable", inventory.cuda().available());
        m.put("cudaMessage", inventory.cuda().message());
        m.put("driverVersion", inventory.cuda().driverVersion());
        m.put("gpus", inventory.gpus());
        m.put("engineGpuCount", inventory.engineGpuCount());
        m.put("libtorchFlavor", inventory.libtorchFlavor());
        m.put("defaultDevice", inventory.defaultDevice());
        m.put("warning", inventory.flavorWarning());
        return m;
    }

    static void printTable(DeviceInventory inventory, PrintStream out) {
        out.println("CUDA:    " + inventory.cuda().message());
        List<GpuInfo> gpus = inventory.gpus();
        if (!gpus.isEmpty()) {
            out.printf("  %-4s %-32s %-8s %12s %12s%n", "id", "name", "compute", "memory", "free");
            for (GpuInfo g : gpus) {
                out.printf("  %-4d %-32s %-8s %12s %12s%n", g.id(), g.name(), g.computeCapability(),
                        Format.bytes(g.totalMemory()), g.freeMemory() < 0 ? "?" : Format.bytes(g.freeMemory()));
            }
        }
        if (inventory.engineError() != null) {
            out.println("Engine:  " + inventory.engineError());
        } else {
            out.println("Engine:  PyTorch " + inventory.engineVersion() + " (libtorch " + inventory.libtorchFlavor()
                    + "), usable GPUs: " + inventory.engineGpuCount());
        }
        out.println("Device:  " + inventory.defaultDevice() + " (what --devices auto selects)");
        if (inventory.flavorWarning() != null) {
            out.println("Warning: " + inventory.flavorWarning());
        }
    }
}
