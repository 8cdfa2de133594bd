package io.roentgen.server.testing;

import ai.djl.Device;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;
import io.roentgen.server.repository.ModelFormat;

import java.nio.file.Files;
import java.nio.file.Path;

/** The test bundle format, registered through META-INF/services like any plug-in format. */
public final class TinyCnnFormat implements ModelFormat {
    @Override
    public String name() {
        return "tinycnn";
    }

    @Override
    public boolean recognizes(Path versionDir) {
        return Files.isRegularFile(versionDir.resolve(TinyCnnClassifier.PREFIX + "-0000.params"));
    }

    @Override
    public Classifier load(Path versionDir, Device device) throws RoentgenException {
        return TinyCnnClassifier.load(versionDir, device);
    }
}
