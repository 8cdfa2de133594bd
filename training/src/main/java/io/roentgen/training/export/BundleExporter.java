package io.roentgen.training.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.bundle.BundleManifest;
import io.roentgen.models.bundle.BundleWriter;
import io.roentgen.models.bundle.ModelBundle;
import io.roentgen.models.bundle.Provenance;
import io.roentgen.training.metrics.ClassMetrics;
import io.roentgen.training.metrics.EvaluationReport;
import io.roentgen.training.run.TrainingConfig;
import io.roentgen.training.run.TrainingResult;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished training run to a model bundle: the best epoch's parameters, the per-label Youden
 * thresholds of its validation set (0.5 where undefined), its validation metrics, and the
 * run's seed with the given manifest hash and split.
 */
public final class BundleExporter {

    private BundleExporter() {}

    /** A writer for the run's bundle; call {@code writeDirectory} or {@code writeZip} on it. */
    public static BundleWriter writer(String name, TrainingResult result, TrainingConfig config,
                                      ArchitectureSpec architecture, PreprocessingSpec preprocessing,
                                      String manifestSha256, String validationSplit) throws RoentgenException {
        return writer(name, result, config, architecture, preprocessing, manifestSha256, validationSplit, Map.of());
    }

    /** As above, with the SR code of each label ({@code "codes"} in model.json); empty for none. */
    public static BundleWriter writer(String name, TrainingResult result, TrainingConfig config,
                                      ArchitectureSpec architecture, PreprocessingSpec preprocessing,
                                      String manifestSha256, String validationSplit,
                                      Map<String, io.roentgen.dicom.sr.Code> codes) throws RoentgenException {
        requireFiniteWeights(result.block());
        EvaluationReport validation = result.bestValidation();
        List<String> labels = config.labelNames();
        return ModelBundle.writer()
                .name(name)
                .architecture(architecture.withMultiLabel(config.multiLabel()))
                .block(result.block())
                .preprocessing(preprocessing)
                .labels(labels)
                .thresholds(thresholds(validation, labels.size()))
                .metrics(metrics(validation))
                .provenance(Provenance.ofTraining(manifestSha256, validationSplit, config.seed(), config.precision().flagName()))
                .codes(codes)
                .build();
    }

    /**
     * Refuses weights holding NaN or an infinity: such a model answers NaN for every image, and a
     * bundle is what a server trusts to load.
     */
    static void requireFiniteWeights(Block block) throws RoentgenException {
        for (Pair<String, Parameter> entry : block.getParameters()) {
            NDArray array = entry.getValue().getArray();
            boolean finite;
            try (NDManager scratch = array.getManager().newSubManager()) {
                array.tempAttach(scratch); // the masks below go with the scratch manager; the array returns
                finite = array.isInfinite().logicalOr(array.isNaN()).none().getBoolean();
            }
            if (!finite) {
                throw new RoentgenException("refusing to export: parameter " + entry.getKey()
                        + " holds NaN or infinite values (the training diverged or its checkpoint is damaged)");
            }
        }
    }

    /** The Youden threshold per label; 0.5 where the validation set could not define one. */
    static float[] thresholds(EvaluationReport validation, int labels) {
        float[] thresholds = new float[labels];
        for (int c = 0; c < labels; c++) {
            double t = validation == null ? Double.NaN : validation.classes().get(c).youden().threshold();
            thresholds[c] = Double.isNaN(t) ? BundleManifest.DEFAULT_THRESHOLD : (float) t;
        }
        return thresholds;
    }

    /** Flat names: macro values, then {@code auroc/<label>}, {@code sensitivity/<label>} (at 0.5), ... */
    static Map<String, Double> metrics(EvaluationReport validation) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (validation == null) {
            return m;
        }
        m.put("accuracy", validation.accuracy());
        m.put("macroAuroc", validation.macroAuroc());
        if (validation.macroAurocInterval() != null) {
            m.put("macroAurocLower", validation.macroAurocInterval().lower());
            m.put("macroAurocUpper", validation.macroAurocInterval().upper());
        }
        m.put("macroSensitivity", validation.macroSensitivity());
        m.put("macroSpecificity", validation.macroSpecificity());
        m.put("macroF1", validation.macroF1());
        for (ClassMetrics c : validation.classes()) {
            m.put("auroc/" + c.name(), c.auroc());
            m.put("sensitivity/" + c.name(), c.sensitivity());
            m.put("specificity/" + c.name(), c.specificity());
            m.put("f1/" + c.name(), c.f1());
            m.put("youdenSensitivity/" + c.name(), c.youden().sensitivity());
            m.put("youdenSpecificity/" + c.name(), c.youden().specificity());
        }
        return m;
    }
}
