package io.roentgen.server.testing;

import ai.djl.Device;
import io.roentgen.engine.RoentgenException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes {@code DIR/<model>/<version>/} test bundles. */
public final class TestRepository {
    private TestRepository() {}

    /** A bundle whose weights come from {@code seed}: different seeds, different answers. */
    public static Path addVersion(Path root, String model, String version, int seed) throws IOException, RoentgenException {
        Path dir = Files.createDirectories(root.resolve(model).resolve(version));
        TinyCnnClassifier.writeWeights(dir, seed);
        return dir;
    }

    /** A bundle whose first weights are NaN, as a damaged export would be. */
    public static Path addDamagedVersion(Path root, String model, String version) throws IOException, RoentgenException {
        Path dir = Files.createDirectories(root.resolve(model).resolve(version));
        TinyCnnClassifier.writeWeights(dir, 1, true);
        return dir;
    }

    /** The classifier the server would load for that version, for computing expected answers. */
    public static TinyCnnClassifier reference(Path root, String model, String version) throws RoentgenException {
        return TinyCnnClassifier.load(root.resolve(model).resolve(version), Device.cpu());
    }
}
