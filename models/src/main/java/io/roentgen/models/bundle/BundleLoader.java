package io.roentgen.models.bundle;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.roentgen.engine.RoentgenException;
import io.roentgen.engine.torch.ChannelsLast;
import io.roentgen.engine.torch.NativeLibrary;
import io.roentgen.models.arch.Architectures;
import io.roentgen.models.arch.InferenceBlocks;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Reads a bundle and puts its network on a device. Every failure is one {@link RoentgenException}. */
final class BundleLoader {
    private final BundleFiles files;

    private BundleLoader(BundleFiles files) {
        this.files = files;
    }

    static BundleManifest manifest(Path bundle) throws RoentgenException {
        return new BundleLoader(BundleFiles.open(bundle)).manifest();
    }

    static LoadedClassifier load(Path bundle, Device device) throws RoentgenException {
        BundleLoader loader = new BundleLoader(BundleFiles.open(bundle));
        BundleManifest manifest = loader.manifest();
        NativeLibrary.load(); // before the first matrix product: it settles MKL's kernels
        byte[] weights = loader.files.read(manifest.format().weightsFile());
        return switch (manifest.format()) {
            case ROENTGEN -> loader.roentgen(manifest, weights, device);
            case TORCHSCRIPT -> loader.torchScript(manifest, weights, device);
        };
    }

    /** The trained network of a Roentgen bundle; a TorchScript bundle is refused (it has no layers to cut at). */
    static TrainedNetwork trained(Path bundle, Device device) throws RoentgenException {
        BundleLoader loader = new BundleLoader(BundleFiles.open(bundle));
        BundleManifest manifest = loader.manifest();
        if (manifest.format() != BundleFormat.ROENTGEN) {
            throw RoentgenException.usage(bundle + ": TorchScript bundles are not explainable: DJL has no hooks, and a"
                    + " TorchScript module would have to export features/head methods, which Roentgen does not read yet");
        }
        NativeLibrary.load();
        byte[] weights = loader.files.read(manifest.format().weightsFile());
        LoadedClassifier loaded = loader.roentgen(manifest, weights, device);
        return new TrainedNetwork(manifest, loaded.trained(), loaded.manager());
    }

    private BundleManifest manifest() throws RoentgenException {
        byte[] json = files.read(BundleManifest.FILE_NAME);
        return BundleJson.read(new String(json, StandardCharsets.UTF_8), files.location() + "/" + BundleManifest.FILE_NAME);
    }

    private LoadedClassifier roentgen(BundleManifest manifest, byte[] weights, Device device) throws RoentgenException {
        Block block = Architectures.build(manifest.architecture());
        NDManager manager = NDManager.newBaseManager(device, "PyTorch");
        try {
            Map<String, Shape> expected = initialisedShapes(block, manager, manifest.input());
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(weights));
            block.loadParameters(manager, in);
            if (in.available() > 0) {
                throw new RoentgenException(where(manifest) + ": " + in.available() + " bytes left over after the "
                        + "parameters of '" + manifest.architecture().name() + "': written for another architecture");
            }
            checkShapes(manifest, expected, block);
            // Scores with conv + batch-norm folded and the other inference-only rewrites; the
            // loaded parameters themselves stay as saved.
            return new LoadedClassifier(manifest, InferenceBlocks.forInference(block, manager), manager, manager,
                    ChannelsLast.forDevice(device)).withTrained(block);
        } catch (IOException | MalformedModelException | EngineException | IllegalArgumentException
                | IllegalStateException | IndexOutOfBoundsException e) {
            manager.close();
            throw new RoentgenException(where(manifest) + ": cannot load the weights of '" + manifest.architecture().name()
                    + "': " + message(e), false, e);
        } catch (RoentgenException | RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Initialises the block in a throw-away scope to learn what shape each parameter must have;
     * the loaded parameters then replace the initial ones, whose memory the scope frees.
     */
    private static Map<String, Shape> initialisedShapes(Block block, NDManager manager, InputShape input) {
        try (NDManager scratch = manager.newSubManager()) {
            block.initialize(scratch, DataType.FLOAT32, new Shape(1, input.channels(), input.height(), input.width()));
            return shapes(block);
        }
    }

    private static Map<String, Shape> shapes(Block block) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray array = p.getValue().isInitialized() ? p.getValue().getArray() : null;
            shapes.put(p.getKey(), array == null ? p.getValue().getShape() : array.getShape());
        }
        return shapes;
    }

    private void checkShapes(BundleManifest manifest, Map<String, Shape> expected, Block block) throws RoentgenException {
        Map<String, Shape> loaded = shapes(block);
        for (Map.Entry<String, Shape> e : expected.entrySet()) {
            Shape got = loaded.get(e.getKey());
            if (!e.getValue().equals(got)) {
                throw new RoentgenException(where(manifest) + ": parameter " + e.getKey() + " has shape " + got
                        + " but '" + manifest.architecture().name() + "' for " + manifest.input() + " input and "
                        + manifest.labels().size() + " labels needs " + e.getValue());
            }
        }
    }

    private LoadedClassifier torchScript(BundleManifest manifest, byte[] weights, Device device) throws RoentgenException {
        Model model = Model.newInstance(manifest.name(), device, "PyTorch");
        try {
            // mapLocation: tensors saved on another device (a CUDA-trained module) come to this one.
            model.load(new ByteArrayInputStream(weights), Map.of("mapLocation", "true"));
            LoadedClassifier classifier = new LoadedClassifier(manifest, model.getBlock(), model.getNDManager(), model,
                    UnaryOperator.identity());
            probe(classifier);
            return classifier;
        } catch (IOException | MalformedModelException | EngineException | IllegalArgumentException
                | IllegalStateException e) {
            model.close();
            throw new RoentgenException(where(manifest) + ": cannot load TorchScript " + manifest.format().weightsFile()
                    + ": " + message(e), false, e);
        } catch (RoentgenException | RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    /** One forward pass of zeros: a module that does not fit model.json fails now, not on a first request. */
    private static void probe(LoadedClassifier classifier) throws RoentgenException {
        var card = classifier.card();
        classifier.predict(List.of(io.roentgen.dicom.image.FloatImage.zeros(card.channels(), card.height(),
                card.width())));
    }

    private String where(BundleManifest manifest) {
        return files.location() + "/" + manifest.format().weightsFile();
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        // libtorch errors carry a C++ backtrace after the first line; the first line says what.
        int newline = m.indexOf('\n');
        return newline < 0 ? m : m.substring(0, newline);
    }
}
