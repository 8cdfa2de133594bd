package io.roentgen.models.bundle;

import ai.djl.engine.Engine;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Where a model came from, so a prediction can be traced back to its training data and software.
 * Any field may be null when unknown (a TorchScript model trained elsewhere).
 *
 * @param manifestSha256 SHA-256 (hex) of the training manifest file
 * @param split          the split the validation metrics were computed on (e.g. "validation")
 * @param seed           the training seed
 * @param roentgenVersion Roentgen version that wrote the bundle
 * @param djlVersion     DJL version that wrote the bundle
 * @param pytorchVersion PyTorch (libtorch) version that wrote the bundle
 * @param created        ISO-8601 UTC time the bundle was written
 */
public record Provenance(String manifestSha256, String split, Long seed, String roentgenVersion,
                         String djlVersion, String pytorchVersion, String created) {

    /** Nothing known. */
    public static Provenance unknown() {
        return new Provenance(null, null, null, null, null, null, null);
    }

    /** The training facts given, with this software's versions and the current time. */
    public static Provenance ofTraining(String manifestSha256, String split, Long seed) {
        return new Provenance(manifestSha256, split, seed, null, null, null, null).stamped();
    }

    /** This copy with the running Roentgen, DJL and PyTorch versions and the current time. */
    public Provenance stamped() {
        return new Provenance(manifestSha256, split, seed, RoentgenVersion.current(), Engine.getDjlVersion(),
                runningPytorchVersion(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    private static String runningPytorchVersion() {
        try {
            return Engine.getEngine("PyTorch").getVersion();
        } catch (RuntimeException e) {
            return null; // the engine did not load: the bundle is still valid, the field unknown
        }
    }
}
