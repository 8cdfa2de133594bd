package io.roentgen.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The device inventory: DJL's PyTorch engine (version, flavour, GPU count) and the CUDA driver
 * (through JCuda). Neither a missing driver nor a libtorch that fails to load is an exception
 * here: both become a line in the inventory, and the CPU remains.
 */
public final class Devices {
    private static final String ENGINE = "PyTorch";

    private Devices() {}

    /** Loads the engine with the given settings (first call only) and describes the machine. */
    public static DeviceInventory inventory(EngineSettings settings) {
        return inventory(settings, CudaDriverProbe.probe());
    }

    /**
     * The inventory with the CUDA driver's answer given: the engine is still the one loaded here,
     * so tests can put a driver with GPUs next to the CPU libtorch (the case that warns).
     */
    public static DeviceInventory inventory(EngineSettings settings, CudaReport cuda) {
        settings.apply();
        try {
            Engine engine = Engine.getEngine(ENGINE);
            String path = LibUtils.getLibtorchPath();
            return new DeviceInventory(engine.getEngineName(), engine.getVersion(), Engine.getDjlVersion(),
                    flavorOf(path), path, engine.getGpuCount(), null, cuda);
        } catch (RuntimeException | LinkageError e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new DeviceInventory(null, null, Engine.getDjlVersion(), null, null, 0,
                    "the PyTorch engine did not load: " + reason, cuda);
        }
    }

    /** The GPUs the engine can use, resolved from a user's device string. */
    public static List<Device> select(DeviceSpec spec, EngineSettings settings) throws RoentgenException {
        DeviceInventory inventory = inventory(settings);
        if (inventory.engineError() != null) {
            throw new RoentgenException(inventory.engineError());
        }
        return spec.resolve(inventory.engineGpuCount());
    }

    /**
     * DJL unpacks libtorch into a folder named like {@code 2.7.1-cu128-linux-x86_64}; with
     * PYTORCH_LIBRARY_PATH the folder is the user's, and PYTORCH_FLAVOR says what it holds.
     */
    static String flavorOf(String libtorchPath) {
        String declared = System.getenv("PYTORCH_FLAVOR");
        if (libtorchPath != null) {
            Path folder = Path.of(libtorchPath).getFileName();
            String name = folder == null ? "" : folder.toString().toLowerCase(Locale.ROOT);
            for (String part : name.split("-")) {
                if (part.equals("cpu") || part.startsWith("cu") && part.length() > 2
                        && Character.isDigit(part.charAt(2))) {
                    return part;
                }
            }
        }
        return declared != null ? declared : "unknown";
    }
}
