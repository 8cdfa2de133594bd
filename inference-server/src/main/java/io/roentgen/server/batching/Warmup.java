package io.roentgen.server.batching;

import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;
import io.roentgen.models.ModelCard;
import io.roentgen.models.Scores;

import java.util.Collections;
import java.util.List;

/**
 * Runs each batch size a model will see once before it takes traffic: PyTorch (TorchScript's
 * profiling executor in particular) optimises per input shape, and the first pass at a new size
 * would otherwise stall a worker while requests wait. Each batching worker runs it on its own
 * thread: libtorch's intra-op (OpenMP) thread team, grad mode and allocator caches belong to the
 * thread that calls, so passes run elsewhere would leave the serving thread cold. A model whose
 * scores on this batch are not finite (NaN weights, a broken export) is refused here, so it never
 * reports ready.
 */
public final class Warmup {
    private Warmup() {}

    public static void run(Classifier classifier, List<Integer> batchSizes) throws RoentgenException {
        ModelCard card = classifier.card();
        FloatImage zeros = FloatImage.zeros(card.channels(), card.height(), card.width());
        for (int size : batchSizes) {
            for (Scores scores : classifier.predict(Collections.nCopies(size, zeros))) {
                for (float p : scores.probabilities()) {
                    if (!Float.isFinite(p)) {
                        throw new RoentgenException("the model gives non-finite scores (NaN or infinity) on a blank "
                                + "image: its weights are damaged or it was exported broken");
                    }
                }
            }
        }
    }
}
