package io.roentgen.engine;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import java.util.ArrayList;
import java.util.List;

/**
 * Asks the CUDA driver (through JCuda) for its version and devices. On a machine without a driver
 * JCuda's native library cannot even load; that, and every other failure, becomes one line in a
 * {@link CudaReport} instead of a stack trace: the CPU is a normal place to run.
 */
public final class CudaDriverProbe {
    private static volatile CudaReport cached;

    private CudaDriverProbe() {}

    /** Probes once per process; the driver's answer does not change while we run. */
    public static CudaReport probe() {
        CudaReport report = cached;
        if (report == null) {
            synchronized (CudaDriverProbe.class) {
                if (cached == null) {
                    cached = probeNow();
                }
                report = cached;
            }
        }
        return report;
    }

    private static CudaReport probeNow() {
        try {
            int init = JCudaDriver.cuInit(0);
            if (init == CUresult.CUDA_ERROR_NO_DEVICE) {
                return CudaReport.unavailable("no CUDA device: the CUDA driver found no GPU");
            }
            if (init != CUresult.CUDA_SUCCESS) {
                return CudaReport.unavailable("no CUDA device: cuInit failed with " + CUresult.stringFor(init));
            }
            return describeDevices();
        } catch (LinkageError e) {
            // JCuda's JNI library links against libcuda.so.1, which only a CUDA driver installs.
            return CudaReport.unavailable("no CUDA driver: libcuda could not be loaded, running on CPU");
        } catch (RuntimeException e) {
            return CudaReport.unavailable("no CUDA driver: " + e.getMessage());
        }
    }

    private static CudaReport describeDevices() {
        int[] version = new int[1];
        JCudaDriver.cuDriverGetVersion(version);
        String driverVersion = version[0] / 1000 + "." + (version[0] % 1000) / 10;
        int[] count = new int[1];
        JCudaDriver.cuDeviceGetCount(count);
        List<GpuInfo> gpus = new ArrayList<>();
        for (int i = 0; i < count[0]; i++) {
            gpus.add(describe(i));
        }
        return CudaReport.ofDriver(driverVersion, gpus);
    }

    private static GpuInfo describe(int ordinal) {
        CUdevice device = new CUdevice();
        JCudaDriver.cuDeviceGet(device, ordinal);
        byte[] name = new byte[256];
        JCudaDriver.cuDeviceGetName(name, name.length, device);
        int[] major = new int[1];
        int[] minor = new int[1];
        JCudaDriver.cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
        JCudaDriver.cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
        long[] total = new long[1];
        JCudaDriver.cuDeviceTotalMem(total, device);
        return new GpuInfo(ordinal, cString(name), major[0], minor[0], total[0], freeMemory(device));
    }

    /** Free memory needs a context; the primary context is the one PyTorch will share later. */
    private static long freeMemory(CUdevice device) {
        CUcontext context = new CUcontext();
        if (JCudaDriver.cuDevicePrimaryCtxRetain(context, device) != CUresult.CUDA_SUCCESS) {
            return -1;
        }
        try {
            JCudaDriver.cuCtxPushCurrent(context);
            long[] free = new long[1];
            long[] total = new long[1];
            int rc = JCudaDriver.cuMemGetInfo(free, total);
            JCudaDriver.cuCtxPopCurrent(new CUcontext());
            return rc == CUresult.CUDA_SUCCESS ? free[0] : -1;
        } finally {
            JCudaDriver.cuDevicePrimaryCtxRelease(device);
        }
    }

    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
