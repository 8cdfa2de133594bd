package io.roentgen.cli;

import io.roentgen.engine.DeviceInventory;
import io.roentgen.engine.Devices;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.OneDnnIsaCap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
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
        String cap = OneDnnIsaCap.apply();
        out.println("oneDNN   " + (cap == null ? "all instruction sets" : "capped at " + cap + " (docs/DECISIONS.md 30)"));
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
        m.put("onednnMaxCpuIsa", OneDnnIsaCap.apply());
        m.put("interOpThreads", settings.interOpThreads());
        m.put("offline", settings.offline());
        m.put("devices", GpusCommand.toJson(inventory));
        return m;
    }
}
