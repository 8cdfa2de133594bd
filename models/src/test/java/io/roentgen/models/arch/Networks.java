package io.roentgen.models.arch;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.RoentgenException;

/** Test helper: networks from the zoo, initialised on the CPU. */
final class Networks {

    private Networks() {}

    /**
     * Applies the engine settings (threads, offline); they only take effect before the engine
     * loads, so every test class that touches the engine calls this first.
     */
    static void applyEngineSettings() {
        EngineSettings.fromEnvironment().apply();
    }

    static Block initialized(NDManager manager, String name, int inChannels, int numClasses, int size)
            throws RoentgenException {
        Block block = Architectures.build(ArchitectureSpec.of(name, inChannels, numClasses).withImageSize(size));
        // Seeded, so statistical checks on initial values (a 2-value bias, say) cannot flake.
        ai.djl.engine.Engine.getInstance().setRandomSeed(1234);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, inChannels, size, size));
        return block;
    }

    static NDManager cpuManager() {
        return NDManager.newBaseManager(ai.djl.Device.cpu());
    }
}
