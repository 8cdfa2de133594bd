package io.roentgen.models.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import io.roentgen.engine.RoentgenException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Trainable parameter counts pinned to torchvision's definitions: 1 input channel and 2 classes
 * (counted with torchvision 0.14, conv1 / features.conv0 / features[0][0] replaced), and
 * torchvision's own 3-channel, 1000-class models as published.
 */
class ParameterCountTest {

    @BeforeAll
    static void applyEngineSettings() {
        Networks.applyEngineSettings();
    }

    @Test
    void oneChannelTwoClassesMatchTorchvision() throws RoentgenException {
        assertCount(11_171_266, "resnet18", 1, 2);
        assertCount(21_279_426, "resnet34", 1, 2);
        assertCount(23_505_858, "resnet50", 1, 2);
        assertCount(6_949_634, "densenet121", 1, 2);
        assertCount(2_225_858, "mobilenet_v2", 1, 2);
    }

    @Test
    void threeChannelsThousandClassesMatchTorchvision() throws RoentgenException {
        assertCount(11_689_512, "resnet18", 3, 1000);
        assertCount(21_797_672, "resnet34", 3, 1000);
        assertCount(25_557_032, "resnet50", 3, 1000);
        assertCount(7_978_856, "densenet121", 3, 1000);
        assertCount(3_504_872, "mobilenet_v2", 3, 1000);
    }

    /**
     * Changing the input channels changes only the first conv (stem filters x kernel area per
     * channel); changing the classes changes only the classifier (features + 1 per class).
     */
    @Test
    void channelsAndClassesChangeOnlyTheStemAndTheClassifier() throws RoentgenException {
        assertCount(11_171_266 + 2 * 64 * 49 + 12 * 513, "resnet18", 3, 14);
        assertCount(23_505_858 + 2 * 64 * 49 + 12 * 2049, "resnet50", 3, 14);
        assertCount(6_949_634 + 2 * 64 * 49 + 12 * 1025, "densenet121", 3, 14);
        assertCount(2_225_858 + 2 * 32 * 9 + 12 * 1281, "mobilenet_v2", 3, 14);
    }

    /** conv 1->32, 32->64, 64->64 (3x3, bias), dense 64->64, 64->2: 320 + 18496 + 36928 + 4160 + 130. */
    @Test
    void smallNetworkCountsEveryLayer() throws RoentgenException {
        assertCount(60_194, "small", 1, 2);
        assertCount(60_194 + 2 * 32 * 9 + 65, "small", 3, 3);
    }

    private static void assertCount(long expected, String name, int inChannels, int numClasses) throws RoentgenException {
        try (NDManager manager = Networks.cpuManager()) {
            long actual = ModelSummary.trainableParameters(Networks.initialized(manager, name, inChannels, numClasses, 32));
            assertEquals(expected, actual, name + " " + inChannels + "ch " + numClasses + " classes");
        }
    }
}
