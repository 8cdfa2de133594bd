package io.roentgen.spark;

import io.roentgen.models.bundle.BundleHash;

import io.roentgen.engine.RoentgenException;
import io.roentgen.models.bundle.BundleManifest;
import io.roentgen.models.bundle.ModelBundle;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;

/**
 * A bundle as the driver saw it, sent to the executors: where it is, its hash (the executors'
 * cache key, checked against their own copy), and the name and version written on every row.
 */
public record BundleRef(String uri, String hash, String name, String version) implements Serializable {

    /** Reads the bundle's model.json and hashes it; the driver must be able to reach the URI. */
    public static BundleRef of(URI bundle) throws RoentgenException {
        String text = bundle.getScheme() == null ? bundle.getPath() : bundle.toString();
        try {
            Path local = LocalBundle.resolve(text);
            BundleManifest manifest = ModelBundle.readManifest(local);
            return new BundleRef(text, BundleHash.of(local), manifest.name(), manifest.version());
        } catch (IOException e) {
            throw new RoentgenException(text + ": cannot read the bundle: " + e.getMessage(), false, e);
        }
    }
}
