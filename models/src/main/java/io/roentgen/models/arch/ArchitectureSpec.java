package io.roentgen.models.arch;

/**
 * What to build: an architecture name from {@link Architectures#names()}, the number of input
 * channels (1 for grey-level radiographs, 3 for RGB), the number of output logits and the square
 * image size the model is trained and served at.
 *
 * <p>The network always ends in raw logits. {@code multiLabel} records the task so that the loss
 * and the predictor agree: {@code false} means one class per image (softmax over the logits),
 * {@code true} means independent findings (a sigmoid per logit). A model bundle embeds this record
 * as JSON (Gson serialises records through their canonical constructor).
 */
public record ArchitectureSpec(String name, int inChannels, int numClasses, int imageSize, boolean multiLabel) {

    /** The size the reference architectures were designed for and are usually reported at. */
    public static final int DEFAULT_IMAGE_SIZE = 224;

    /** A single-label (softmax) classifier at the default image size. */
    public static ArchitectureSpec of(String name, int inChannels, int numClasses) {
        return new ArchitectureSpec(name, inChannels, numClasses, DEFAULT_IMAGE_SIZE, false);
    }

    public ArchitectureSpec withImageSize(int size) {
        return new ArchitectureSpec(name, inChannels, numClasses, size, multiLabel);
    }

    public ArchitectureSpec withMultiLabel(boolean value) {
        return new ArchitectureSpec(name, inChannels, numClasses, imageSize, value);
    }
}
