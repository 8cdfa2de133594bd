package io.roentgen.models.bundle;

import ai.djl.nn.Block;
import ai.djl.ndarray.NDManager;

/**
 * A Roentgen bundle's network as trained (no inference rewrites: layers keep torchvision's names
 * and autograd runs through them), with its parameters on one device. For explanations, which
 * need to cut the network at a named layer and take gradients. The caller closes it.
 *
 * @param manifest the bundle's {@code model.json}
 * @param block    the network with the bundle's weights
 * @param manager  holds the parameters; closed by {@link #close()}
 */
public record TrainedNetwork(BundleManifest manifest, Block block, NDManager manager) implements AutoCloseable {

    @Override
    public void close() {
        manager.close();
    }
}
