package io.roentgen.server.repository;

import ai.djl.Device;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;

import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * A kind of bundle the repository can serve (Roentgen bundle, TorchScript, ...): how to recognise
 * its version directory and how to load it. Formats are also found with {@link java.util.ServiceLoader},
 * so a module can add one without touching the server.
 */
public interface ModelFormat {

    String name();

    /** Whether {@code versionDir} holds a bundle of this format. */
    boolean recognizes(Path versionDir);

    Classifier load(Path versionDir, Device device) throws RoentgenException;

    static ModelFormat of(String name, Predicate<Path> recognizes, ClassifierLoader loader) {
        return new ModelFormat() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean recognizes(Path versionDir) {
                return recognizes.test(versionDir);
            }

            @Override
            public Classifier load(Path versionDir, Device device) throws RoentgenException {
                return loader.load(versionDir, device);
            }
        };
    }
}
