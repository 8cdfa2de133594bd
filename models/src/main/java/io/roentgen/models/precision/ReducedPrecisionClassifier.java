package io.roentgen.models.precision;

import ai.djl.Device;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.RoentgenException;
import io.roentgen.engine.torch.Autocast;
import io.roentgen.engine.torch.Precision;
import io.roentgen.models.Classifier;
import io.roentgen.models.ModelCard;
import io.roentgen.models.Scores;
import java.util.List;

/**
 * A classifier whose forward passes run under libtorch's autocast in bf16 or fp16. The scope is
 * opened on the thread that calls {@link #predict}, so a server's batcher thread computes in the
 * reduced precision without knowing of it; the weights stay fp32 and the probabilities come back
 * in fp32 (the wrapped classifier widens the logits before softmax).
 */
final class ReducedPrecisionClassifier implements Classifier {
    private final Classifier fp32;
    private final Device device;
    private final Precision precision;

    ReducedPrecisionClassifier(Classifier fp32, Device device, Precision precision) {
        this.fp32 = fp32;
        this.device = device;
        this.precision = precision;
    }

    @Override
    public ModelCard card() {
        return fp32.card();
    }

    @Override
    public PreprocessingSpec preprocessing() {
        return fp32.preprocessing();
    }

    @Override
    public List<Scores> predict(List<FloatImage> batch) throws RoentgenException {
        try (Autocast.Scope amp = Autocast.on(device, precision)) {
            return fp32.predict(batch);
        }
    }

    @Override
    public void close() {
        fp32.close();
    }
}
