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

    static CudaReport unavailable(String message) {
        return new CudaReport(false, message, null, List.of());
    }
}
