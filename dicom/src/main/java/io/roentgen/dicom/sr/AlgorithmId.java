package io.roentgen.dicom.sr;

import java.util.Objects;

/**
 * The algorithm that made the findings, as IHE AI Results asks it named (TID 4019: Algorithm Name
 * and Version; the bundle's SHA-256 goes into Algorithm Parameters, so a result names the exact
 * weights).
 *
 * @param name         model name
 * @param version      model version
 * @param bundleSha256 SHA-256 (hex) of the model bundle, or null when unknown
 */
public record AlgorithmId(String name, String version, String bundleSha256) {
    public AlgorithmId {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        if (name.isBlank() || version.isBlank()) {
            throw new IllegalArgumentException("an algorithm needs a name and a version");
        }
    }
}
