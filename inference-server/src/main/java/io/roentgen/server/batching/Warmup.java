package io.roentgen.server.batching;

import io.roentgen.datasets.transform.FloatImage;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;
import io.roentgen.models.ModelCard;

import java.util.Collections;
import java.util.List;

/**
 * Runs each batch size a model will see once before it takes traffic: PyTorch (TorchScript's
 * profiling executor in particular) optimises per input shape, and the first pass at a new size
 * would otherwise stall a worker while requests wait. Each batching worker runs it on its own
 * thread: libtorch's intra-op (OpenMP) thread team, grad mode and allocator caches belong to the
 * thread that calls, so passes run elsewhere would leave the serving thread cold.
 */
final class Warmup {
    private Warmup() {}

    static void run(Classifier classifier, List<Integer> batchSizes) throws RoentgenException {
        ModelCard card = classifier.card();
        FloatImage zeros = FloatImage.zeros(card.channels(), card.height(), card.width());
        for (int size : batchSizes) {
            classifier.predict(Collections.nCopies(size, zeros));
        }
    }
}
