package io.roentgen.cli;

import ai.djl.Device;
import io.roentgen.engine.DeviceInventory;
import io.roentgen.engine.Devices;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.torch.ChannelsLast;
import io.roentgen.engine.torch.NativeLibrary;
import io.roentgen.models.precision.PrecisionChoice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code roentgen info}: versions, the libtorch actually loaded, devices and thread settings. */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        description = "Show Roentgen, Java, DJL and PyTorch versions, the libtorch loaded, devices and threads.",
        footer = {"", "Examples:", "  roentgen info", "  roentgen info --json"})
final class InfoCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() {
        EngineSettings settings = EngineSettings.fromEnvironment();
        DeviceInventory inventory = Devices.inventory(settings);
        PrintStream out = System.out;
        if (json) {
            out.println(Json.of(toJson(settings, inventory)));
            return 0;
        }
        out.println("Roentgen " + VersionProvider.roentgenVersion());
        out.println("Java     " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        out.println("DJL      " + inventory.djlVersion());
        if (inventory.engineError() == null) {
            out.println("PyTorch  " + inventory.engineVersion() + ", libtorch flavour " + inventory.libtorchFlavor());
            out.println("libtorch " + inventory.libtorchPath());
        }
        out.println("Threads  " + settings);
        out.println("Layout   " + (ChannelsLast.enabledFor(Device.cpu())
                ? "channels-last on the CPU" : "NCHW on the CPU") + " (docs/DECISIONS.md 30)");
        out.println("Memory   " + mallocSettings() + " (docs/DECISIONS.md 28, 33)");
        out.println("BLAS     " + NativeLibrary.mklKernels() + " (docs/DECISIONS.md 34)");
        out.println("Kernels  " + atenKernels() + " (docs/DECISIONS.md 36)");
        out.println("Precision --precision auto on " + autoDevice(inventory) + ": " + autoPrecision(inventory).describe()
                + " (docs/DECISIONS.md 49)");
        GpusCommand.printTable(inventory, out);
        return 0;
    }

    private static Map<String, Object> toJson(EngineSettings settings, DeviceInventory inventory) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("roentgenVersion", VersionProvider.roentgenVersion());
        m.put("javaVersion", System.getProperty("java.version"));
        m.put("javaVm", System.getProperty("java.vm.name"));
        m.put("djlVersion", inventory.djlVersion());
        m.put("engine", inventory.engineName());
        m.put("pytorchVersion", inventory.engineVersion());
        m.put("libtorchFlavor", inventory.libtorchFlavor());
        m.put("libtorchPath", inventory.libtorchPath());
        m.put("engineError", inventory.engineError());
        m.put("intraOpThreads", settings.intraOpThreads());
        m.put("interOpThreads", settings.interOpThreads());
        m.put("cpuChannelsLast", ChannelsLast.enabledFor(Device.cpu()));
        m.put("malloc", mallocSettings());
        m.put("blas", NativeLibrary.mklKernels());
        m.put("atenKernels", atenKernels());
        PrecisionChoice auto = autoPrecision(inventory);
        m.put("autoPrecision", Map.of("device", autoDevice(inventory).toString(),
                "precision", auto.precision().flagName(), "reason", auto.reason()));
        m.put("offline", settings.offline());
        m.put("devices", GpusCommand.toJson(inventory));
        return m;
    }

    /**
     * The allocator ./roentgen chose (freed tensor memory kept for reuse), as found: jemalloc when
     * it is preloaded into this process, else the glibc malloc variables.
     */
    private static String mallocSettings() {
        if (jemallocLoaded()) {
            String conf = System.getenv("MALLOC_CONF");
            return "jemalloc" + (conf == null ? "" : " MALLOC_CONF=" + conf);
        }
        StringBuilder found = new StringBuilder();
        for (String name : new String[] {"MALLOC_ARENA_MAX", "MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_"}) {
            String value = System.getenv(name);
            if (value != null) {
                found.append(found.length() == 0 ? "" : " ").append(name).append('=').append(value);
            }
        }
        return found.length() == 0 ? "glibc defaults" : found.toString();
    }

    /** libtorch's ATen CPU kernel set as ./roentgen chose it (ATEN_CPU_CAPABILITY), else libtorch's own choice. */
    private static String atenKernels() {
        String capability = System.getenv("ATEN_CPU_CAPABILITY");
        return capability == null || capability.isBlank() ? "libtorch default" : "ATEN_CPU_CAPABILITY=" + capability;
    }

    private static boolean jemallocLoaded() {
        try {
            return Files.readString(Path.of("/proc/self/maps")).contains("libjemalloc");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The device {@code --devices auto} uses: the first GPU the engine can use, else the CPU. */
    private static Device autoDevice(DeviceInventory inventory) {
        return inventory.engineGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
    }

    private static PrecisionChoice autoPrecision(DeviceInventory inventory) {
        return PrecisionChoice.resolve("auto", autoDevice(inventory));
    }
}
