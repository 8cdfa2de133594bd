package io.roentgen.engine;

import java.util.List;

/**
 * What the CUDA driver says about this machine.
 *
 * @param available     a driver loaded and at least one device answered
 * @param message       one line for people: "CUDA driver 12.4, 2 GPUs" or "no CUDA driver: ..."
 * @param driverVersion e.g. "12.4", or null without a driver
 * @param gpus          the devices, empty without a driver or device
 */
public record CudaReport(boolean available, String message, String driverVersion, List<GpuInfo> gpus) {

    /** No usable driver or device, and why, in one line. */
    public static CudaReport unavailable(String message) {
        return new CudaReport(false, message, null, List.of());
    }

    /** What a driver of the given version says about its devices ("no CUDA device" when none). */
    public static CudaReport ofDriver(String driverVersion, List<GpuInfo> gpus) {
        if (gpus.isEmpty()) {
            return new CudaReport(false, "no CUDA device: driver " + driverVersion + " sees no GPU", driverVersion, List.of());
        }
        String message = "CUDA driver " + driverVersion + ", " + gpus.size() + (gpus.size() == 1 ? " GPU" : " GPUs");
        return new CudaReport(true, message, driverVersion, List.copyOf(gpus));
    }
}
