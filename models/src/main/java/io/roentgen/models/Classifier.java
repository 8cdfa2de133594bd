package io.roentgen.models;

import io.roentgen.datasets.pixel.PreprocessingSpec;
import io.roentgen.datasets.transform.FloatImage;
import io.roentgen.engine.RoentgenException;

import java.util.List;

/**
 * A model bundle loaded on one device, ready to score. Preprocessing (DICOM to {@link FloatImage})
 * is the caller's, with {@link #preprocessing()}, so it can run on many threads while the forward
 * pass is batched.
 *
 * <p>Not thread-safe: DJL predictors are not, so a server keeps one classifier per worker
 * (per device replica) and calls {@link #predict} from that worker only.
 */
public interface Classifier extends AutoCloseable {

    /** What the model is: name, version, labels, task, input shape, thresholds, provenance. */
    ModelCard card();

    /** The preprocessing the model was trained with. */
    PreprocessingSpec preprocessing();

    /**
     * One forward pass over a batch of preprocessed images, each of the card's input shape
     * (C x H x W). Runs without gradients.
     *
     * @throws RoentgenException when an image has the wrong shape, or the engine fails
     */
    List<Scores> predict(List<FloatImage> batch) throws RoentgenException;

    /** Releases the model's native memory. */
    @Override
    void close();
}
