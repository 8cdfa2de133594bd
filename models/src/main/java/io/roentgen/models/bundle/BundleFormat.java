package io.roentgen.models.bundle;

import io.roentgen.engine.RoentgenException;

/** How a bundle stores its network. */
public enum BundleFormat {
    /** A Roentgen architecture (by name, from {@code model.json}) with DJL parameters. */
    ROENTGEN("roentgen", "weights.params"),
    /** A TorchScript module saved by {@code torch.jit.save}: the network and its weights. */
    TORCHSCRIPT("torchscript", "model.pt");

    private final String id;
    private final String weightsFile;

    BundleFormat(String id, String weightsFile) {
        this.id = id;
        this.weightsFile = weightsFile;
    }

    /** The value of {@code "format"} in {@code model.json}. */
    public String id() {
        return id;
    }

    /** The file holding the weights, next to {@code model.json}. */
    public String weightsFile() {
        return weightsFile;
    }

    static BundleFormat of(String id) throws RoentgenException {
        for (BundleFormat f : values()) {
            if (f.id.equals(id)) {
                return f;
            }
        }
        throw new RoentgenException("unknown bundle format '" + id + "'; known: roentgen, torchscript");
    }
}
