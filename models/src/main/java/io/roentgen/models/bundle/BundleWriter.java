package io.roentgen.models.bundle;

import ai.djl.nn.Block;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.engine.FileTrees;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.arch.ArchitectureSpec;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a Roentgen bundle from a DJL block with initialised (trained) parameters: {@code model.json}
 * and {@code weights.params} (DJL's parameter encoding), as a directory or a zip archive. The
 * target appears complete or not at all (written beside it, then renamed).
 */
public final class BundleWriter {
    /** Zip entries get this fixed time, so the same bundle gives the same bytes. */
    private static final long ZIP_ENTRY_TIME = 315532800000L; // 1980-01-01, the zip epoch

    private final BundleManifest manifest;
    private final Block block;

    private BundleWriter(BundleManifest manifest, Block block) {
        this.manifest = manifest;
        this.block = block;
    }

    public static Builder builder() {
        return new Builder();
    }

    public BundleManifest manifest() {
        return manifest;
    }

    /** Writes a bundle directory; refuses a target that exists and is not an empty directory. */
    public Path writeDirectory(Path directory) throws RoentgenException {
        refuseExisting(directory);
        Map<String, byte[]> files = files();
        Path temporary = sibling(directory);
        try {
            Files.createDirectories(temporary);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(temporary.resolve(f.getKey()), f.getValue());
            }
            if (Files.isDirectory(directory)) {
                Files.delete(directory); // empty, checked above
            }
            Files.move(temporary, directory, StandardCopyOption.ATOMIC_MOVE);
            return directory;
        } catch (IOException e) {
            FileTrees.deleteQuietly(temporary);
            throw new RoentgenException(directory + ": cannot write model bundle: " + e.getMessage(), false, e);
        }
    }

    /** Writes a bundle as one zip archive with the files at its root. */
    public Path writeZip(Path zip) throws RoentgenException {
        refuseExisting(zip);
        Map<String, byte[]> files = files();
        Path temporary = sibling(zip);
        try {
            if (zip.toAbsolutePath().getParent() != null) {
                Files.createDirectories(zip.toAbsolutePath().getParent());
            }
            try (OutputStream out = Files.newOutputStream(temporary); ZipOutputStream z = new ZipOutputStream(out)) {
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    ZipEntry entry = new ZipEntry(f.getKey());
                    entry.setTime(ZIP_ENTRY_TIME);
                    z.putNextEntry(entry);
                    z.write(f.getValue());
                    z.closeEntry();
                }
            }
            Files.move(temporary, zip, StandardCopyOption.ATOMIC_MOVE);
            return zip;
        } catch (IOException e) {
            FileTrees.deleteQuietly(temporary);
            throw new RoentgenException(zip + ": cannot write model bundle: " + e.getMessage(), false, e);
        }
    }

    /** {@link #writeZip} or {@link #writeDirectory}. */
    public Path write(Path target, boolean zip) throws RoentgenException {
        return zip ? writeZip(target) : writeDirectory(target);
    }

    /** model.json first, so a listing of the archive shows it at the top. */
    private Map<String, byte[]> files() throws RoentgenException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(BundleManifest.FILE_NAME, BundleJson.write(manifest).getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream weights = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(weights)) {
            block.saveParameters(out);
        } catch (IOException | RuntimeException e) {
            throw new RoentgenException("cannot save the parameters of '" + manifest.name() + "': " + e.getMessage(), false, e);
        }
        files.put(BundleFormat.ROENTGEN.weightsFile(), weights.toByteArray());
        return files;
    }

    private static void refuseExisting(Path target) throws RoentgenException {
        if (!Files.exists(target)) {
            return;
        }
        if (Files.isDirectory(target)) {
            try (Stream<Path> s = Files.list(target)) {
                if (s.findAny().isEmpty()) {
                    return;
                }
            } catch (IOException e) {
                throw new RoentgenException(target + ": cannot list: " + e.getMessage(), false, e);
            }
        }
        throw new RoentgenException(target + " already exists; write the bundle to a new path");
    }

    private static Path sibling(Path target) {
        Path absolute = target.toAbsolutePath();
        return absolute.resolveSibling("." + absolute.getFileName() + ".partial-" + ProcessHandle.current().pid());
    }


    /** The parts of a bundle; all but version, thresholds, metrics and provenance are required. */
    public static final class Builder {
        private String name;
        private String version = "1";
        private ArchitectureSpec architecture;
        private Block block;
        private PreprocessingSpec preprocessing;
        private List<String> labels;
        private float[] thresholds;
        private Map<String, Double> metrics = Map.of();
        private Provenance provenance;
        private Map<String, io.roentgen.dicom.sr.Code> codes = Map.of();

        private Builder() {}

        public Builder name(String v) { name = v; return this; }
        public Builder version(String v) { version = v; return this; }
        public Builder architecture(ArchitectureSpec v) { architecture = v; return this; }
        /** The network with initialised parameters (trained, or fresh for tests). */
        public Builder block(Block v) { block = v; return this; }
        public Builder preprocessing(PreprocessingSpec v) { preprocessing = v; return this; }
        public Builder labels(List<String> v) { labels = List.copyOf(v); return this; }
        /** One per label; default 0.5 each. */
        public Builder thresholds(float[] v) { thresholds = v.clone(); return this; }
        public Builder metrics(Map<String, Double> v) { metrics = new LinkedHashMap<>(v); return this; }
        /** Default: {@link Provenance#unknown()} stamped with this software's versions and the time. */
        public Builder provenance(Provenance v) { provenance = v; return this; }
        /** The SR code of each label; when given, every label needs one (checked by build). */
        public Builder codes(Map<String, io.roentgen.dicom.sr.Code> v) { codes = new LinkedHashMap<>(v); return this; }

        public BundleWriter build() throws RoentgenException {
            Objects.requireNonNull(architecture, "architecture");
            Objects.requireNonNull(block, "block");
            Objects.requireNonNull(preprocessing, "preprocessing");
            Objects.requireNonNull(labels, "labels");
            float[] t = thresholds;
            if (t == null) {
                t = new float[labels.size()];
                Arrays.fill(t, BundleManifest.DEFAULT_THRESHOLD);
            }
            InputShape input = new InputShape(architecture.inChannels(), architecture.imageSize(), architecture.imageSize());
            BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT_VERSION, BundleFormat.ROENTGEN,
                    name == null ? architecture.name() : name, version, architecture, input, architecture.multiLabel(),
                    labels, t, preprocessing, metrics, provenance == null ? Provenance.unknown().stamped() : provenance,
                    codes);
            return new BundleWriter(manifest.validated().withCompleteCodes(), block);
        }
    }
}
