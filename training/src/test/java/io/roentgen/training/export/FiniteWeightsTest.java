package io.roentgen.training.export;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import io.roentgen.engine.RoentgenException;

import org.junit.jupiter.api.Test;

/** Export refuses weights with NaN or an infinity, naming the parameter; finite weights pass. */
class FiniteWeightsTest {

    @Test
    void nonFiniteWeightsAreRefusedByName() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                Block block = Linear.builder().setUnits(2).build();
                block.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
                BundleExporter.requireFiniteWeights(block); // freshly initialised: finite
                NDArray weight = block.getParameters().get("weight").getArray();
                weight.set(new ai.djl.ndarray.index.NDIndex("1, 2"), bad);
                RoentgenException e = assertThrows(RoentgenException.class, () -> BundleExporter.requireFiniteWeights(block));
                assertTrue(e.getMessage().contains("weight") && e.getMessage().contains("NaN or infinite"), e.getMessage());
            }
        }
    }
}
