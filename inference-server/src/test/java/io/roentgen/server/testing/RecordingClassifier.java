package io.roentgen.server.testing;

import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;
import io.roentgen.models.ModelCard;
import io.roentgen.models.Scores;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real classifier that remembers the size of every batch it was given, and the thread that gave it. */
public final class RecordingClassifier implements Classifier {
    private final Classifier delegate;
    public final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    public final List<String> threads = new CopyOnWriteArrayList<>();

    public RecordingClassifier(Classifier delegate) {
        this.delegate = delegate;
    }

    @Override
    public ModelCard card() {
        return delegate.card();
    }

    @Override
    public PreprocessingSpec preprocessing() {
        return delegate.preprocessing();
    }

    @Override
    public List<Scores> predict(List<FloatImage> batch) throws RoentgenException {
        threads.add(Thread.currentThread().getName());
        batchSizes.add(batch.size());
        return delegate.predict(batch);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
