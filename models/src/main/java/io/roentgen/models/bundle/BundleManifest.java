package io.roentgen.models.bundle;

import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.dicom.sr.Code;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.ModelCard;
import io.roentgen.models.arch.ArchitectureSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of a bundle's {@code model.json}: what the network is, what it expects and
 * predicts, how good it was and where it came from. {@link BundleJson} reads and writes it.
 *
 * @param formatVersion  "MAJOR.MINOR" of this schema; readers refuse another major version
 * @param format         how the weights are stored
 * @param name           model name
 * @param version        model version
 * @param architecture   the Roentgen architecture (required for {@link BundleFormat#ROENTGEN}; null
 *                       or descriptive only for TorchScript)
 * @param input          the shape of one preprocessed image
 * @param multiLabel     sigmoid per label (true) or softmax over labels (false)
 * @param labels         class names in output order
 * @param thresholds     decision threshold per label (validation Youden threshold, else 0.5)
 * @param preprocessing  DICOM to input tensor, exactly as in training
 * @param metrics        validation metrics by name (e.g. {@code macroAuroc}, {@code auroc/<label>})
 * @param provenance     training data, seed and software versions
 * @param codes          the coded concept each label is reported as in a DICOM SR ({@code "codes"});
 *                       empty: labels go out in Roentgen's local scheme
 */
public record BundleManifest(String formatVersion, BundleFormat format, String name, String version,
                             ArchitectureSpec architecture, InputShape input, boolean multiLabel, List<String> labels,
                             float[] thresholds, PreprocessingSpec preprocessing, Map<String, Double> metrics,
                             Provenance provenance, Map<String, Code> codes) {

    /** The schema version this code writes. */
    public static final String FORMAT_VERSION = "1.0";
    /** The major version this code reads. */
    public static final int SUPPORTED_MAJOR = 1;
    public static final String FILE_NAME = "model.json";
    public static final float DEFAULT_THRESHOLD = 0.5f;

    public BundleManifest {
        labels = List.copyOf(labels);
        thresholds = thresholds.clone();
        metrics = metrics == null ? Map.of() : new LinkedHashMap<>(metrics);
        provenance = provenance == null ? Provenance.unknown() : provenance;
        codes = codes == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(codes));
    }

    /**
     * Checks codes as training writes them: every label has one, and none names another label.
     * (Reading is laxer: a hand-edited bundle may code some labels; the rest go out local.)
     */
    public BundleManifest withCompleteCodes() throws RoentgenException {
        if (!codes.isEmpty()) {
            requireCodeForEveryLabel(labels, codes);
        }
        return this;
    }

    /** Every label has a code and no code names another label; the message says which. */
    public static void requireCodeForEveryLabel(List<String> labels, Map<String, Code> codes) throws RoentgenException {
        for (String label : codes.keySet()) {
            if (!labels.contains(label)) {
                throw new RoentgenException("codes: '" + label + "' is not a label of this model " + labels);
            }
        }
        List<String> missing = labels.stream().filter(l -> !codes.containsKey(l)).toList();
        if (!missing.isEmpty()) {
            throw new RoentgenException("codes: no code for label(s) " + missing + "; every label needs {scheme, value, meaning}");
        }
    }

    /** Checks that the parts agree with each other; the message says which do not. */
    public BundleManifest validated() throws RoentgenException {
        if (name == null || name.isBlank()) {
            throw new RoentgenException("model.json: \"name\" is missing");
        }
        if (labels.isEmpty()) {
            throw new RoentgenException("model.json: \"labels\" is empty");
        }
        if (thresholds.length != labels.size()) {
            throw new RoentgenException("model.json: " + thresholds.length + " thresholds for " + labels.size() + " labels");
        }
        for (int i = 0; i < thresholds.length; i++) {
            if (!(thresholds[i] >= 0 && thresholds[i] <= 1)) {
                throw new RoentgenException("model.json: threshold of '" + labels.get(i) + "' must be in [0, 1], got "
                        + thresholds[i]);
            }
        }
        if (format == BundleFormat.ROENTGEN) {
            checkArchitecture();
        }
        return this;
    }

    private void checkArchitecture() throws RoentgenException {
        if (architecture == null) {
            throw new RoentgenException("model.json: a roentgen bundle needs \"architecture\"");
        }
        if (architecture.numClasses() != labels.size()) {
            throw new RoentgenException("model.json: the architecture has " + architecture.numClasses()
                    + " outputs but there are " + labels.size() + " labels");
        }
        if (architecture.inChannels() != input.channels() || architecture.imageSize() != input.height()
                || architecture.imageSize() != input.width()) {
            throw new RoentgenException("model.json: the architecture takes " + architecture.inChannels() + "x"
                    + architecture.imageSize() + "x" + architecture.imageSize() + " but \"input\" says " + input);
        }
        if (architecture.multiLabel() != multiLabel) {
            throw new RoentgenException("model.json: \"task\" and the architecture's multiLabel disagree");
        }
    }

    /** The card a loaded classifier shows. */
    public ModelCard card() {
        return new ModelCard(name, version, format.id(), labels, multiLabel, input.channels(), input.height(),
                input.width(), thresholds.clone());
    }

    /** "multi-label" or "multi-class", as written in {@code model.json}. */
    public String task() {
        return multiLabel ? BundleJson.MULTI_LABEL : BundleJson.MULTI_CLASS;
    }
}
