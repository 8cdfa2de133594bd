package io.roentgen.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.Random;

/**
 * Adebayo et al.'s model-randomisation check: the same network with the values inside every
 * learned tensor permuted (same distributions, no learned structure). A map that still wins the
 * pointing game does not depend on what the model learned.
 */
final class ShuffledWeights {

    private ShuffledWeights() {}

    /** Permutes every parameter in place, except batch norm's running statistics. */
    static void shuffle(Block block, Random random) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getKey().endsWith("runningMean") || p.getKey().endsWith("runningVar")) {
                continue;
            }
            NDArray array = p.getValue().getArray();
            float[] values = array.toFloatArray();
            for (int i = values.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                float t = values[i];
                values[i] = values[j];
                values[j] = t;
            }
            array.set(values);
        }
    }
}
