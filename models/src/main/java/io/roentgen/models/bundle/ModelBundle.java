package io.roentgen.models.bundle;

import ai.djl.Device;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;

import java.nio.file.Path;

/**
 * Model bundles: a directory, or a zip of one, holding {@code model.json} (architecture, input
 * shape, preprocessing, labels, task, thresholds, validation metrics, provenance; see
 * {@link BundleManifest}) and the weights, either DJL parameters of a Roentgen architecture
 * ({@code weights.params}) or a TorchScript module ({@code model.pt}).
 *
 * <pre>{@code
 * try (Classifier model = ModelBundle.load(Path.of("blobs.zip"), Device.cpu())) {
 *     Scores s = model.predict(Path.of("scan.dcm"));
 * }
 * }</pre>
 *
 * <p>Loading never extracts a zip to disk and refuses hostile archives; every problem with a
 * bundle (missing file, bad JSON, unknown architecture or format version, weights that do not fit)
 * is a {@link RoentgenException} whose message names the bundle and the problem.
 *
 * <p>TorchScript on DJL: the PyTorch engine's graph optimiser
 * ({@code ai.djl.pytorch.graph_optimizer}, on by default) re-profiles a TorchScript module on the
 * first calls with each new input shape, so the first batches of every batch size are slow; a
 * server warms up the batch sizes it uses.
 */
public final class ModelBundle {

    private ModelBundle() {}

    /** Loads a bundle onto a device for scoring. The caller closes the classifier. */
    public static Classifier load(Path bundle, Device device) throws RoentgenException {
        return BundleLoader.load(bundle, device);
    }

    /**
     * The trained network of a Roentgen bundle on a device, for explanations. TorchScript bundles
     * are refused with a {@link RoentgenException} that says why.
     */
    public static TrainedNetwork loadTrained(Path bundle, Device device) throws RoentgenException {
        return BundleLoader.trained(bundle, device);
    }

    /** Only {@code model.json}, checked, without loading the weights. */
    public static BundleManifest readManifest(Path bundle) throws RoentgenException {
        return BundleLoader.manifest(bundle);
    }

    /** A writer for a Roentgen-format bundle of a trained block. */
    public static BundleWriter.Builder writer() {
        return BundleWriter.builder();
    }
}
