package io.roentgen.server.repository;

import ai.djl.Device;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;

import io.roentgen.models.bundle.ModelBundle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Predicate;

/** The bundle formats a repository understands, tried in registration order. */
public final class ModelFormats {
    private final List<ModelFormat> formats = new ArrayList<>();

    /**
     * The built-in formats plus every {@link ModelFormat} service on the class path. The model
     * bundle loader registers here in one line, e.g.
     * {@code formats.register("roentgen", ModelBundle::isBundle, ModelBundle::load);}
     */
    public static ModelFormats standard() {
        ModelFormats formats = new ModelFormats();
        ServiceLoader.load(ModelFormat.class).forEach(formats::register);
        // Roentgen and TorchScript bundles: a version folder holding model.json (or a zipped bundle).
        formats.register("bundle", dir -> Files.isRegularFile(dir.resolve("model.json"))
                || Files.isRegularFile(dir) && dir.toString().endsWith(".zip"), ModelBundle::load);
        return formats;
    }

    public ModelFormats register(ModelFormat format) {
        formats.add(format);
        return this;
    }

    public ModelFormats register(String name, Predicate<Path> recognizes, ClassifierLoader loader) {
        return register(ModelFormat.of(name, recognizes, loader));
    }

    public List<String> names() {
        return formats.stream().map(ModelFormat::name).toList();
    }

    /** What happens to every replica once loaded, before it is warmed up and served (e.g. its precision). */
    @FunctionalInterface
    public interface ReplicaSetup {
        Classifier apply(Classifier loaded, Device device) throws RoentgenException;
    }

    /**
     * These formats, each loaded replica passed through {@code setup} on the loading thread
     * (which closes the replica itself where it fails).
     */
    public ModelFormats withSetup(ReplicaSetup setup) {
        ModelFormats result = new ModelFormats();
        for (ModelFormat format : formats) {
            result.register(format.name(), format::recognizes, (dir, device) -> setup.apply(format.load(dir, device), device));
        }
        return result;
    }

    /** Loads the bundle with the first format that recognises it. */
    public Classifier load(Path versionDir, Device device) throws RoentgenException {
        for (ModelFormat format : formats) {
            if (format.recognizes(versionDir)) {
                return format.load(versionDir, device);
            }
        }
        throw new RoentgenException("no known bundle format in " + versionDir + " (formats: " + names() + ")");
    }
}
