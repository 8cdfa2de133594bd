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
 * @param precision      the precision (fp32, bf16, fp16) the network was trained and validated in;
 *                       null when not recorded (bundles from before mixed precision: fp32)
 */
public record Provenance(String manifestSha256, String split, Long seed, String roentgenVersion,
                         String djlVersion, String pytorchVersion, String created, String precision) {

    /** Nothing known. */
    public static Provenance unknown() {
        return new Provenance(null, null, null, null, null, null, null, null);
    }

    /** The training facts given, with this software's versions and the current time; trained in fp32. */
    public static Provenance ofTraining(String manifestSha256, String split, Long seed) {
        return ofTraining(manifestSha256, split, seed, "fp32");
    }

    /** The training facts given, trained and validated in {@code precision} (fp32, bf16, fp16). */
    public static Provenance ofTraining(String manifestSha256, String split, Long seed, String precision) {
        return new Provenance(manifestSha256, split, seed, null, null, null, null, precision).stamped();
    }

    /** This copy with the running Roentgen, DJL and PyTorch versions and the current time. */
    public Provenance stamped() {
        return new Provenance(manifestSha256, split, seed, RoentgenVersion.current(), Engine.getDjlVersion(),
                runningPytorchVersion(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), precision);
    }

    /** The precision the network was trained in: fp32 where the bundle does not say. */
    public String trainedPrecision() {
        return precision == null ? "fp32" : precision;
    }

    private static String runningPytorchVersion() {
        try {
            return Engine.getEngine("PyTorch").getVersion();
        } catch (RuntimeException e) {
            return null; // the engine did not load: the bundle is still valid, the field unknown
        }
    }
}
