package io.roentgen.engine;

import ai.djl.Device;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device inventory on whatever machine runs the suite, checked against what the NVIDIA
 * kernel driver itself lists (nvidia-smi, else /proc/driver/nvidia), and the GPU branch of the
 * inventory with the driver's answer injected, so it is tested on machines without a GPU too.
 */
class DeviceInventoryTest {
    private static final GpuInfo H100 = new GpuInfo(0, "NVIDIA H100 80GB HBM3", 9, 0, 85_520_809_984L, 84_500_000_000L);
    private static final GpuInfo A10 = new GpuInfo(1, "NVIDIA A10", 8, 6, 23_836_098_560L, -1);

    @Test
    void theProbeListsTheGpusTheKernelDriverListsOrSaysInOneLineThatThereAreNone() throws Exception {
        int kernelGpus = kernelDriverGpuCount();
        CudaReport report = CudaDriverProbe.probe();
        assertFalse(report.message().contains("\n"), "one line: " + report.message());
        assertEquals(kernelGpus, report.gpus().size(), report.message());
        assertEquals(kernelGpus > 0, report.available(), report.message());
        if (kernelGpus == 0) {
            assertTrue(report.message().startsWith("no CUDA driver") || report.message().startsWith("no CUDA device"),
                    report.message());
            return;
        }
        assertTrue(report.message().matches("CUDA driver \\d+\\.\\d+, " + kernelGpus + " GPUs?"), report.message());
        for (int i = 0; i < report.gpus().size(); i++) {
            GpuInfo gpu = report.gpus().get(i);
            assertEquals(i, gpu.id());
            assertFalse(gpu.name().isBlank(), "GPU " + i + " has a name");
            assertTrue(gpu.computeMajor() >= 3, gpu.computeCapability());
            assertTrue(gpu.totalMemory() > 1L << 30, "more than 1 GiB: " + gpu.totalMemory());
            assertTrue(gpu.freeMemory() <= gpu.totalMemory(), "free within total");
        }
    }

    @Test
    void theInventoryDescribesTheLibtorchLoadedHereAndWarnsWhenItCannotUseTheDriversGpus() {
        DeviceInventory inventory = Devices.inventory(EngineSettings.fromEnvironment());
        assertNull(inventory.engineError());
        assertEquals("PyTorch", inventory.engineName());
        assertEquals("2.7.1", inventory.engineVersion());
        assertEquals("0.36.0", inventory.djlVersion());
        assertNotNull(inventory.libtorchPath());
        if (inventory.libtorchFlavor().equals("cpu")) {
            assertEquals(0, inventory.engineGpuCount(), "a CPU libtorch uses no GPU");
            assertEquals("CPU", inventory.defaultDevice());
            assertEquals(inventory.cuda().available(), inventory.flavorWarning() != null,
                    "a warning exactly when the driver has GPUs the CPU libtorch cannot use");
        } else {
            assertTrue(inventory.libtorchFlavor().startsWith("cu"), inventory.libtorchFlavor());
            assertEquals(inventory.cuda().gpus().size(), inventory.engineGpuCount(), "a CUDA libtorch uses every GPU");
            assertEquals("GPU x " + inventory.engineGpuCount(), inventory.defaultDevice());
        }
    }

    @Test
    void autoSelectsEveryUsableGpuElseTheCpu() throws Exception {
        int gpus = Devices.inventory(EngineSettings.fromEnvironment()).engineGpuCount();
        List<Device> expected = gpus == 0 ? List.of(Device.cpu())
                : Stream.iterate(0, i -> i + 1).limit(gpus).map(Device::gpu).toList();
        assertEquals(expected, Devices.select(DeviceSpec.auto(), EngineSettings.fromEnvironment()));
    }

    @Test
    void aDriverWithGpusNextToTheCpuLibtorchIsListedAndWarnsHowToFixIt() {
        CudaReport driver = CudaReport.ofDriver("12.8", List.of(H100, A10));
        assertTrue(driver.available());
        assertEquals("CUDA driver 12.8, 2 GPUs", driver.message());
        DeviceInventory inventory = Devices.inventory(EngineSettings.fromEnvironment(), driver);
        assertEquals(List.of(H100, A10), inventory.gpus());
        if (inventory.libtorchFlavor().equals("cpu")) {
            assertEquals("CPU", inventory.defaultDevice());
            String warning = inventory.flavorWarning();
            assertNotNull(warning);
            assertTrue(warning.contains("2 GPU(s)") && warning.contains("--gpu") && warning.contains("PYTORCH_LIBRARY_PATH"),
                    warning);
        }
    }

    @Test
    void aCudaLibtorchUsesTheGpusAndDoesNotWarn() {
        DeviceInventory inventory = new DeviceInventory("PyTorch", "2.7.1", "0.36.0", "cu128", "/opt/libtorch/lib", 1,
                null, CudaReport.ofDriver("12.8", List.of(H100)));
        assertEquals("GPU x 1", inventory.defaultDevice());
        assertNull(inventory.flavorWarning());
        assertEquals("CUDA driver 12.8, 1 GPU", inventory.cuda().message());
    }

    @Test
    void aDriverThatSeesNoDeviceIsNotAvailable() {
        CudaReport none = CudaReport.ofDriver("12.8", List.of());
        assertFalse(none.available());
        assertEquals("no CUDA device: driver 12.8 sees no GPU", none.message());
        DeviceInventory inventory = Devices.inventory(EngineSettings.fromEnvironment(), none);
        if (inventory.libtorchFlavor().equals("cpu")) {
            assertNull(inventory.flavorWarning());
            assertEquals("CPU", inventory.defaultDevice());
        }
    }

    @Test
    void flavourIsReadFromTheFolderDjlLoadedFrom() {
        assertEquals("cu128", Devices.flavorOf("/root/.djl.ai/pytorch/2.7.1-cu128-linux-x86_64"));
        assertEquals("cpu", Devices.flavorOf("/root/.djl.ai/pytorch/2.7.1-cpu-linux-x86_64"));
    }

    /**
     * GPUs as the NVIDIA kernel driver lists them, independently of libcuda and JCuda: nvidia-smi
     * where it is installed, else the driver's /proc folder, else none.
     */
    static int kernelDriverGpuCount() throws IOException, InterruptedException {
        Path smi = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(d -> Path.of(d, "nvidia-smi")).filter(Files::isExecutable).findFirst().orElse(null);
        if (smi != null) {
            Process process = new ProcessBuilder(smi.toString(), "-L").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0) {
                return (int) out.lines().filter(l -> l.startsWith("GPU ")).count();
            }
        }
        Path proc = Path.of("/proc/driver/nvidia/gpus");
        if (!Files.isDirectory(proc)) {
            return 0;
        }
        try (Stream<Path> entries = Files.list(proc)) {
            return (int) entries.count();
        }
    }
}
