package io.roentgen.models.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.roentgen.engine.RoentgenException;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fresh networks start from torchvision's initialisation. Standard deviations are checked on
 * thousands to millions of draws, within 5% (the sampling error is about 1.5% at worst).
 */
class InitializationTest {

    @BeforeAll
    static void applyEngineSettings() {
        Networks.applyEngineSettings();
    }

    @Test
    void resnetUsesKaimingFanOutAndDefaultLinear() throws RoentgenException {
        try (NDManager manager = Networks.cpuManager()) {
            Map<String, Parameter> p = TorchvisionNames.of(Networks.initialized(manager, "resnet18", 1, 2, 32));
            assertStd(Math.sqrt(2.0 / (512 * 9)), p.get("layer4.1.conv2.weight"));
            assertStd(Math.sqrt(2.0 / (64 * 49)), p.get("conv1.weight"));
            assertWithin(1 / Math.sqrt(512), p.get("fc.weight"));
            assertWithin(1 / Math.sqrt(512), p.get("fc.bias"));
            assertConstant(1, p.get("layer2.0.downsample.1.weight"));
            assertConstant(0, p.get("layer2.0.downsample.1.bias"));
            assertConstant(0, p.get("bn1.running_mean"));
            assertConstant(1, p.get("bn1.running_var"));
        }
    }

    @Test
    void densenetUsesKaimingFanInAndZeroClassifierBias() throws RoentgenException {
        try (NDManager manager = Networks.cpuManager()) {
            Map<String, Parameter> p = TorchvisionNames.of(Networks.initialized(manager, "densenet121", 1, 2, 32));
            assertStd(Math.sqrt(2.0 / 992), p.get("features.denseblock4.denselayer16.conv1.weight"));
            assertConstant(0, p.get("classifier.bias"));
            assertWithin(1 / Math.sqrt(1024), p.get("classifier.weight"));
        }
    }

    @Test
    void mobilenetUsesKaimingFanOutAndSmallNormalClassifier() throws RoentgenException {
        try (NDManager manager = Networks.cpuManager()) {
            Map<String, Parameter> p = TorchvisionNames.of(Networks.initialized(manager, "mobilenet_v2", 1, 2, 32));
            assertStd(Math.sqrt(2.0 / (960 * 9)), p.get("features.17.conv.1.0.weight"));
            assertStd(0.01, p.get("classifier.1.weight"));
            assertConstant(0, p.get("classifier.1.bias"));
        }
    }

    @Test
    void smallNetworkUsesKaimingConvsWithBatchNormAndDefaultDenseLayers() throws RoentgenException {
        try (NDManager manager = Networks.cpuManager()) {
            Block network = Networks.initialized(manager, "small", 1, 2, 32);
            Map<String, Parameter> p = TorchvisionNames.of(network);
            assertStd(Math.sqrt(2.0 / (64 * 9)), p.get("conv2.weight"));
            assertStd(Math.sqrt(2.0 / (64 * 9)), p.get("conv3.weight"));
            assertConstant(1, p.get("bn1.weight"));
            assertConstant(0, p.get("bn3.bias"));
            assertWithin(1 / 8.0, p.get("fc1.weight"));
            assertWithin(1 / 8.0, p.get("fc2.weight"));
        }
    }

    private static void assertStd(double expected, Parameter parameter) {
        NDArray values = parameter.getArray();
        double mean = values.mean().getFloat();
        double std = Math.sqrt(values.sub(mean).square().mean().getFloat());
        assertEquals(expected, std, 0.05 * expected, parameter.getName());
        assertEquals(0, mean, 0.1 * expected, parameter.getName());
    }

    /** Uniform on (-bound, bound): inside it, and spread over it (not a constant). */
    private static void assertWithin(double bound, Parameter parameter) {
        NDArray values = parameter.getArray();
        float max = values.abs().max().getFloat();
        assertTrue(max <= bound, parameter.getName() + " max " + max + " > " + bound);
        assertTrue(max > bound / 4, parameter.getName() + " max " + max);
    }

    private static void assertConstant(float expected, Parameter parameter) {
        NDArray values = parameter.getArray();
        assertEquals(expected, values.min().getFloat(), parameter.getName());
        assertEquals(expected, values.max().getFloat(), parameter.getName());
    }
}
