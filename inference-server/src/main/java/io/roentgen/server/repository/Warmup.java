package io.roentgen.server.repository;

import io.roentgen.datasets.transform.FloatImage;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;
import io.roentgen.models.ModelCard;

import java.util.Collections;

/**
 * Runs every batch size once before a model takes traffic: PyTorch (TorchScript's profiling
 * executor in particular) optimises per input shape, and the first pass at a new size would
 * otherwise stall a worker while requests wait.
 */
final class Warmup {
    private Warmup() {}

    static void everyBatchSize(Classifier classifier, int maxBatchSize) throws RoentgenException {
        ModelCard card = classifier.card();
        FloatImage zeros = FloatImage.zeros(card.channels(), card.height(), card.width());
        for (int size = 1; size <= maxBatchSize; size++) {
            classifier.predict(Collections.nCopies(size, zeros));
        }
    }
}
