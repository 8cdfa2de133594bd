package io.roentgen.server.testing;

import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;
import io.roentgen.models.ModelCard;
import io.roentgen.models.Scores;

import java.util.List;

/**
 * The real test CNN behind a gate the test opens and closes: lets a test hold a forward pass
 * in flight to fill the queue or stop the server with work pending, without timing guesses.
 */
public final class GatedClassifier implements Classifier {
    private final Classifier model;
    private final Gate gate;

    public GatedClassifier(Classifier model, Gate gate) {
        this.model = model;
        this.gate = gate;
    }

    /** A gate forward passes wait at while it is held. */
    public static final class Gate {
        private boolean held;
        private int imagesInside;

        public synchronized void hold() {
            held = true;
        }

        public synchronized void release() {
            held = false;
            notifyAll();
        }

        /** Images of the forward passes now waiting at the gate. */
        public synchronized int imagesInside() {
            return imagesInside;
        }

        synchronized void pass(int images) {
            imagesInside += images;
            try {
                while (held) {
                    wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                imagesInside -= images;
            }
        }
    }

    @Override
    public ModelCard card() {
        return model.card();
    }

    @Override
    public PreprocessingSpec preprocessing() {
        return model.preprocessing();
    }

    @Override
    public List<Scores> predict(List<FloatImage> batch) throws RoentgenException {
        gate.pass(batch.size());
        return model.predict(batch);
    }

    @Override
    public void close() {
        model.close();
    }
}
