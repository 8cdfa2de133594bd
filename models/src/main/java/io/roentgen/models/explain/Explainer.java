package io.roentgen.models.explain;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.image.Preprocessing;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.engine.RoentgenException;
import io.roentgen.engine.torch.ChannelsLast;
import io.roentgen.models.ModelCard;
import io.roentgen.dicom.sr.LabelCodes;
import io.roentgen.models.bundle.BundleCodes;
import io.roentgen.models.bundle.Decisions;
import io.roentgen.models.bundle.ModelBundle;
import io.roentgen.models.bundle.TrainedNetwork;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Grad-CAM and Grad-CAM++ for a model bundle: {@code load} once, {@code explain} many images.
 * Images are prepared with the bundle's own preprocessing ({@link #prepare}, the one place this
 * package touches it). Not thread-safe, like a classifier: one explainer per worker.
 */
public final class Explainer implements AutoCloseable {
    private final TrainedNetwork network;
    private final SplitNetwork split;
    private final ModelCard card;
    private final Device device;
    private final LabelCodes codes;

    private Explainer(TrainedNetwork network, SplitNetwork split, Device device, LabelCodes codes) {
        this.network = network;
        this.split = split;
        this.card = network.manifest().card();
        this.device = device;
        this.codes = codes;
    }

    /**
     * Loads a Roentgen bundle for explaining at {@code layer} (null: the architecture's last
     * convolutional stage). TorchScript bundles are refused.
     */
    public static Explainer load(Path bundle, Device device, String layer) throws RoentgenException {
        TrainedNetwork network = ModelBundle.loadTrained(bundle, device);
        try {
            SplitNetwork split = SplitNetwork.of(network.block(), network.manifest().architecture().name(), layer);
            return new Explainer(network, split, device, BundleCodes.read(bundle));
        } catch (RoentgenException | RuntimeException e) {
            network.close();
            throw e;
        }
    }

    public ModelCard card() {
        return card;
    }

    /** The codes of the bundle's labels ({@code model.json}'s {@code "codes"}, else the local scheme). */
    public LabelCodes codes() {
        return codes;
    }

    /** The device the network and its gradients live on. */
    public Device device() {
        return device;
    }

    /** The target layer's name. */
    public String layer() {
        return split.layer();
    }

    /** The bundle's preprocessing. */
    public PreprocessingSpec preprocessing() {
        return network.manifest().preprocessing();
    }

    /** The first frame of a DICOM instance as the model sees it. */
    public FloatImage prepare(DicomObject dicom) throws DicomException {
        return Preprocessing.of(preprocessing()).apply(dicom, 0);
    }

    /** Explains one image for {@code label}, or for the predicted class when null. */
    public Explanation explain(FloatImage image, CamMethod method, String label) throws RoentgenException {
        return explain(List.of(image), method, label).get(0);
    }

    /** Explains a batch, every image for {@code label} (null: each image's predicted class). */
    public List<Explanation> explain(List<FloatImage> images, CamMethod method, String label) throws RoentgenException {
        int classIndex = classIndex(label);
        int size = card.channels() * card.height() * card.width();
        float[] input = new float[Math.multiplyExact(size, images.size())];
        int[] classes = new int[images.size()];
        for (int i = 0; i < images.size(); i++) {
            FloatImage image = images.get(i);
            if (image.channels() != card.channels() || image.height() != card.height() || image.width() != card.width()) {
                throw RoentgenException.usage("image " + i + " is " + image.channels() + "x" + image.height() + "x"
                        + image.width() + " but model '" + card.name() + "' takes " + card.channels() + "x"
                        + card.height() + "x" + card.width() + " (use the bundle's preprocessing)");
            }
            System.arraycopy(image.data(), 0, input, i * size, size);
            classes[i] = classIndex;
        }
        Shape shape = new Shape(images.size(), card.channels(), card.height(), card.width());
        List<RawCam> raws;
        try {
            raws = CamComputer.explain(split, network.manager(), ChannelsLast.forDevice(device), input, shape, classes,
                    method);
        } catch (RuntimeException e) {
            throw new RoentgenException("model '" + card.name() + "': explanation failed: " + e.getMessage(), false, e);
        }
        List<Explanation> out = new ArrayList<>(raws.size());
        for (RawCam raw : raws) {
            out.add(new Explanation(Decisions.scores(card.labels(), probabilities(raw.logits()), card.thresholds(),
                    card.multiLabel()), card.labels().get(raw.classIndex()), method, split.layer(), raw,
                    CamMaps.forInput(raw, card.height(), card.width()), card.height(), card.width()));
        }
        return out;
    }

    private int classIndex(String label) throws RoentgenException {
        if (label == null) {
            return -1;
        }
        int index = card.labels().indexOf(label);
        if (index < 0) {
            throw RoentgenException.usage("unknown class '" + label + "'; model '" + card.name() + "' has "
                    + String.join(", ", card.labels()));
        }
        return index;
    }

    private float[] probabilities(float[] logits) {
        float[] p = new float[logits.length];
        if (card.multiLabel()) {
            for (int i = 0; i < logits.length; i++) {
                p[i] = (float) (1 / (1 + Math.exp(-logits[i])));
            }
            return p;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            sum += Math.exp(logits[i] - max);
        }
        for (int i = 0; i < logits.length; i++) {
            p[i] = (float) (Math.exp(logits[i] - max) / sum);
        }
        return p;
    }

    @Override
    public void close() {
        network.close();
    }
}
