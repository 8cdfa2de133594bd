package io.roentgen.engine;

import java.util.List;

/**
 * What Roentgen can run on: the deep-learning engine DJL loaded and what the CUDA driver reports.
 *
 * @param engineName     e.g. "PyTorch", or null when the engine failed to load
 * @param engineVersion  e.g. "2.7.1"
 * @param djlVersion     e.g. "0.36.0"
 * @param libtorchFlavor "cpu", "cu128", ... as derived from the library DJL actually loaded
 * @param libtorchPath   the folder the libtorch library was loaded from
 * @param engineGpuCount GPUs the engine can use (0 with a CPU libtorch even on a GPU machine)
 * @param engineError    why the engine did not load, or null
 * @param cuda           the CUDA driver's view, independent of the engine
 */
public record DeviceInventory(
        String engineName,
        String engineVersion,
        String djlVersion,
        String libtorchFlavor,
        String libtorchPath,
        int engineGpuCount,
        String engineError,
        CudaReport cuda) {

    /** The devices a run would use for {@code auto}: "CPU" or "GPU x N". */
    public String defaultDevice() {
        return engineGpuCount > 0 ? "GPU x " + engineGpuCount : "CPU";
    }

    /** A warning when the driver has GPUs but the loaded libtorch cannot use them, else null. */
    public String flavorWarning() {
        if (cuda.available() && engineGpuCount == 0 && engineError == null) {
            return "the CUDA driver sees " + cuda.gpus().size() + " GPU(s) but the loaded libtorch is '"
                    + libtorchFlavor + "': run ./roentgen --gpu or set PYTORCH_LIBRARY_PATH (see README, GPU set-up)";
        }
        return null;
    }

    public List<GpuInfo> gpus() {
        return cuda.gpus();
    }
}
