package io.roentgen.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** This machine and CI have no CUDA driver: the inventory must fall back to the CPU cleanly. */
class NoCudaFallbackTest {

    @Test
    void withoutADriverTheProbeSaysSoInOneLine() {
        CudaReport report = CudaDriverProbe.probe();
        assertFalse(report.available());
        assertTrue(report.message().startsWith("no CUDA driver") || report.message().startsWith("no CUDA device"),
                report.message());
        assertFalse(report.message().contains("\n"), "one line");
        assertTrue(report.gpus().isEmpty());
    }

    @Test
    void theInventoryFallsBackToTheCpuLibtorch() {
        DeviceInventory inventory = Devices.inventory(EngineSettings.fromEnvironment());
        assertNull(inventory.engineError());
        assertEquals("PyTorch", inventory.engineName());
        assertEquals("2.7.1", inventory.engineVersion());
        assertEquals("0.36.0", inventory.djlVersion());
        assertEquals("cpu", inventory.libtorchFlavor());
        assertEquals(0, inventory.engineGpuCount());
        assertEquals("CPU", inventory.defaultDevice());
        assertNull(inventory.flavorWarning());
    }

    @Test
    void autoSelectsTheCpu() throws Exception {
        assertEquals(java.util.List.of(ai.djl.Device.cpu()),
                Devices.select(DeviceSpec.auto(), EngineSettings.fromEnvironment()));
    }
}
