package io.roentgen.engine;

import ai.djl.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceSpecTest {

    @Test
    void autoIsEveryGpuElseTheCpu() throws Exception {
        assertEquals(List.of(Device.cpu()), DeviceSpec.parse("auto").resolve(0));
        assertEquals(List.of(Device.gpu(0), Device.gpu(1)), DeviceSpec.parse("auto").resolve(2));
    }

    @Test
    void cpuIsTheCpuEvenWithGpus() throws Exception {
        assertEquals(List.of(Device.cpu()), DeviceSpec.parse("CPU").resolve(4));
    }

    @Test
    void gpuMeansAllGpusAndNeedsOne() throws Exception {
        assertEquals(List.of(Device.gpu(0), Device.gpu(1), Device.gpu(2)), DeviceSpec.parse("gpu").resolve(3));
        RoentgenException e = assertThrows(RoentgenException.class, () -> DeviceSpec.parse("gpu").resolve(0));
        assertTrue(e.getMessage().contains("no usable GPU"), e.getMessage());
        assertTrue(e.getMessage().contains("devices: cpu"), e.getMessage());
    }

    @Test
    void gpuListsKeepTheirOrder() throws Exception {
        assertEquals(List.of(Device.gpu(1)), DeviceSpec.parse("gpu:1").resolve(2));
        assertEquals(List.of(Device.gpu(1), Device.gpu(0)), DeviceSpec.parse(" gpu:1,0 ").resolve(2));
        assertEquals("gpu:0,1", DeviceSpec.parse("gpu:0, 1").toString());
    }

    @Test
    void aMissingGpuListsWhatExists() throws Exception {
        RoentgenException e = assertThrows(RoentgenException.class, () -> DeviceSpec.parse("gpu:0,2").resolve(2));
        assertEquals("gpu 2 does not exist: devices: cpu, gpu:0, gpu:1", e.getMessage());
        assertTrue(!e.isUsageError());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tpu", "gpu:", "gpu:a", "gpu:-1", "gpu:0,,1", "gpu0", "cpu:0"})
    void badStringsAreUsageErrorsThatShowTheForms(String text) {
        RoentgenException e = assertThrows(RoentgenException.class, () -> DeviceSpec.parse(text));
        assertTrue(e.isUsageError());
        assertEquals("unknown device '" + text + "': use auto, cpu, gpu, gpu:N or gpu:N,M", e.getMessage());
    }

    @Test
    void aRepeatedGpuIsRefused() {
        RoentgenException e = assertThrows(RoentgenException.class, () -> DeviceSpec.parse("gpu:1,1"));
        assertEquals("device 'gpu:1,1' names gpu 1 twice", e.getMessage());
    }
}
