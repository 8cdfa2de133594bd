package io.roentgen.datasets.cache;

import io.roentgen.dicom.image.FloatImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * An on-disk cache of preprocessed tensors for one preprocessing spec, stored as float16 (half
 * the size; values come back rounded to the nearest half) and read through memory maps.
 *
 * <p>Key: the source file's absolute path, size and last-modified time, and the SHA-256 of the spec
 * JSON. Changing the spec or touching a source makes old entries unreachable. Layout:
 * {@code <dir>/<spec hash, 16 hex>/<2 hex>/<entry hash>.f16}, plus {@code spec.json} beside the
 * entries so a person can tell the folders apart; removing a spec folder drops that spec's entries.
 *
 * <p>Thread- and process-safe without locks: a writer writes a uniquely named temporary file and
 * atomically renames it over the entry, so readers see a whole old entry, a whole new one or none;
 * an entry that is damaged anyway (a crash on a file system without atomic rename, a disk error)
 * fails its length, key or checksum check and counts as a miss.
 */
public final class TensorCache {
    private static final String SUFFIX = ".f16";

    private final Path specFolder;
    private final String specHash;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder damaged = new LongAdder();
    private final LongAdder writes = new LongAdder();

    /** Something that produces the tensor on a miss: the DICOM read and preprocessing. */
    @FunctionalInterface
    public interface Computation<E extends Exception> {
        FloatImage compute() throws E;
    }

    private TensorCache(Path specFolder, String specHash) {
        this.specFolder = specFolder;
        this.specHash = specHash;
    }

    /** Opens (creating if needed) the cache under {@code directory} for the preprocessing described by {@code specJson}. */
    public static TensorCache open(Path directory, String specJson) throws IOException {
        String specHash = sha256(specJson);
        Path specFolder = directory.toAbsolutePath().normalize().resolve(specHash.substring(0, 16));
        Files.createDirectories(specFolder);
        Path specFile = specFolder.resolve("spec.json");
        if (!Files.exists(specFile)) {
            writeAtomically(specFile, ByteBuffer.wrap(specJson.getBytes(StandardCharsets.UTF_8)));
        }
        return new TensorCache(specFolder, specHash);
    }

    /** The folder holding this spec's entries. */
    public Path folder() {
        return specFolder;
    }

    /** The cached tensor of {@code source} as it is now on disk, or empty; IOException if the source cannot be read. */
    public Optional<FloatImage> get(Path source) throws IOException {
        String key = keyOf(source);
        FloatImage image = read(entryFile(key), key);
        (image == null ? misses : hits).increment();
        return Optional.ofNullable(image);
    }

    /** Stores the tensor computed from {@code source} as it is now on disk. */
    public void put(Path source, FloatImage tensor) throws IOException {
        write(keyOf(source), tensor);
    }

    /**
     * The cached tensor, or else the computed one, which is stored. The key is taken before
     * computing, so a source that changes meanwhile is recomputed on its next lookup.
     */
    public <E extends Exception> FloatImage getOrCompute(Path source, Computation<E> computation) throws IOException, E {
        String key = keyOf(source);
        FloatImage cached = read(entryFile(key), key);
        if (cached != null) {
            hits.increment();
            return cached;
        }
        misses.increment();
        FloatImage computed = computation.compute();
        write(key, computed);
        return computed;
    }

    public CacheStats stats() {
        return new CacheStats(hits.sum(), misses.sum(), damaged.sum(), writes.sum());
    }

    private void write(String key, FloatImage tensor) throws IOException {
        Path file = entryFile(key);
        Files.createDirectories(file.getParent());
        writeAtomically(file, CacheEntryFormat.encode(key, tensor));
        writes.increment();
    }

    private FloatImage read(Path file, String key) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0 || size > Integer.MAX_VALUE) {
                damaged.increment();
                return null;
            }
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            FloatImage image = CacheEntryFormat.decode(key, mapped);
            if (image == null) {
                damaged.increment();
            }
            return image;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void writeAtomically(Path file, ByteBuffer bytes) throws IOException {
        Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** The key of a source as it is now: path, size, modification time (nanoseconds) and spec. */
    private String keyOf(Path source) throws IOException {
        Path absolute = source.toAbsolutePath().normalize();
        BasicFileAttributes attributes = Files.readAttributes(absolute, BasicFileAttributes.class);
        return absolute + "\u0000" + attributes.size() + "\u0000"
                + attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS) + "\u0000" + specHash;
    }

    private Path entryFile(String key) {
        String hash = sha256(key);
        return specFolder.resolve(hash.substring(0, 2)).resolve(hash + SUFFIX);
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
