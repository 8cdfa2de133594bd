package io.roentgen.models.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roentgen.engine.RoentgenException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ComplexityTest {

    @BeforeAll
    static void applyEngineSettings() {
        Networks.applyEngineSettings();
    }

    /** torchvision's model table (3 channels, 1000 classes, 224x224) lists GMACs as "GFLOPS". */
    @Test
    void matchesTorchvisionPublishedFigures() throws RoentgenException {
        assertGmacs(1.81, "resnet18");
        assertGmacs(3.66, "resnet34");
        assertGmacs(4.09, "resnet50");
        assertGmacs(2.83, "densenet121");
        assertGmacs(0.30, "mobilenet_v2");
    }

    /**
     * At 64x64, 1 channel, 2 classes: conv1 64*64 outputs x 32 x 9; conv2 32*32 x 64 x 32*9;
     * conv3 16*16 x 64 x 64*9; dense 64*64; output 64*2.
     */
    @Test
    void countsEveryConvolutionAndLinearLayerOfTheSmallNetwork() throws RoentgenException {
        long expected = 64L * 64 * 32 * 9 + 32L * 32 * 64 * 32 * 9 + 16L * 16 * 64 * 64 * 9 + 64 * 64 + 64 * 2;
        ModelSummary summary = ModelSummary.of(new ArchitectureSpec("small", 1, 2, 64, false));
        assertEquals(expected, summary.multiplyAccumulates());
        assertEquals(2.0 * summary.gmacs(), summary.gflops(), 1e-12);
        assertEquals(60_194, summary.trainableParameters());
    }

    private static void assertGmacs(double published, String name) throws RoentgenException {
        ModelSummary summary = ModelSummary.of(ArchitectureSpec.of(name, 3, 1000));
        assertEquals(published, Math.round(summary.gmacs() * 100) / 100.0, 1e-9, name + ": " + summary.gmacs());
    }
}
