package io.roentgen.datasets;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The header facts of a collection's files ({@link IndexedFile}), read once and cached in a JSON
 * file beside the collection ({@value #FILE_NAME}, next to the manifest or in the folder). An entry
 * is reused while the file's path, size and modification time are unchanged; a changed file is
 * read again. Indexing reads headers only (never pixel data), in parallel, so 100k files cost
 * about a header read each the first time and a {@code stat} each after.
 *
 * <p>The cache file holds patient and study IDs: it sits with the data it describes and is never
 * logged. Paths in it are relative to its folder where possible, so a collection can be moved
 * with its index. An unreadable or foreign cache file is ignored and rewritten. Thread-safe.
 */
public final class CollectionIndex {
    public static final String FILE_NAME = ".roentgen-index.json";
    private static final int FORMAT = 1;
    private static final Gson GSON = new GsonBuilder().serializeNulls().create();

    private final Path cacheFile;
    private final Path base;
    private final Map<Path, IndexedFile> entries = new ConcurrentHashMap<>();
    private final LongAdder reused = new LongAdder();
    private final LongAdder read = new LongAdder();
    private volatile boolean changed;

    /** The JSON layout of the cache file. */
    private record CacheFile(int format, List<Stored> files) {}

    /** One entry as stored: the path relative to the cache file's folder where possible. */
    private record Stored(String path, long size, long modifiedNanos, boolean headerRead, String patientId,
                          String studyUid, String modality, int rows, int columns, int frames,
                          String transferSyntaxUid, String photometric, String error) {}

    private CollectionIndex(Path cacheFile) {
        this.cacheFile = cacheFile == null ? null : cacheFile.toAbsolutePath().normalize();
        this.base = this.cacheFile == null ? null : this.cacheFile.getParent();
    }

    /** An index kept in memory only. */
    public static CollectionIndex inMemory() {
        return new CollectionIndex(null);
    }

    /** Opens the index cached in {@code cacheFile}, or an empty one when there is none (or it is unreadable). */
    public static CollectionIndex open(Path cacheFile) {
        CollectionIndex index = new CollectionIndex(cacheFile);
        index.load();
        return index;
    }

    /** Opens the index beside a manifest (its folder) or in a collection folder. */
    public static CollectionIndex beside(Path manifestOrFolder) {
        return open(cacheFileFor(manifestOrFolder));
    }

    /** Where the index of a manifest or folder is cached. */
    public static Path cacheFileFor(Path manifestOrFolder) {
        Path absolute = manifestOrFolder.toAbsolutePath().normalize();
        return Files.isDirectory(absolute) ? absolute.resolve(FILE_NAME) : absolute.resolveSibling(FILE_NAME);
    }

    /**
     * The entry of a file as it is now on disk: the cached one when size and modification time
     * match, else a fresh header read. A file that cannot even be listed gives an entry with an error.
     */
    public IndexedFile entry(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(absolute, BasicFileAttributes.class);
        } catch (IOException e) {
            return new IndexedFile(absolute, -1, -1, false, null, null, null, 0, 0, 0, null, null,
                    "cannot read: " + e.getClass().getSimpleName());
        }
        long size = attributes.size();
        long modified = attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        IndexedFile known = entries.get(absolute);
        if (known != null && known.size() == size && known.modifiedNanos() == modified) {
            reused.increment();
            return known;
        }
        IndexedFile fresh = DicomFileCheck.check(absolute, size, modified);
        entries.put(absolute, fresh);
        read.increment();
        changed = true;
        return fresh;
    }

    /** Entries of many files, indexed in parallel, in the order given. */
    public List<IndexedFile> entries(List<Path> files) {
        return files.parallelStream().map(this::entry).toList();
    }

    /** Entries served from the cache since opening. */
    public long reusedCount() {
        return reused.sum();
    }

    /** Files whose header was read since opening (new or changed). */
    public long readCount() {
        return read.sum();
    }

    /** The cache file, or null for an in-memory index. */
    public Path cacheFile() {
        return cacheFile;
    }

    /** Writes the cache file when something was read since opening (atomically: readers never see half). */
    public void save() throws IOException {
        if (cacheFile == null || !changed) {
            return;
        }
        List<Stored> stored = new ArrayList<>();
        entries.values().stream().sorted(Comparator.comparing(IndexedFile::path)).forEach(e -> stored.add(toStored(e)));
        Path temporary = Files.createTempFile(base, FILE_NAME, ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                GSON.toJson(new CacheFile(FORMAT, stored), out);
            }
            Files.move(temporary, cacheFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            changed = false;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private void load() {
        if (!Files.isRegularFile(cacheFile)) {
            return;
        }
        try (Reader in = Files.newBufferedReader(cacheFile, StandardCharsets.UTF_8)) {
            CacheFile loaded = GSON.fromJson(in, CacheFile.class);
            if (loaded == null || loaded.format() != FORMAT || loaded.files() == null) {
                return;
            }
            for (Stored s : loaded.files()) {
                if (s != null && s.path() != null) {
                    IndexedFile e = fromStored(s);
                    entries.put(e.path(), e);
                }
            }
        } catch (IOException | JsonParseException | IllegalArgumentException e) {
            // A damaged cache is only a slower start: everything is read again and the file rewritten.
            entries.clear();
        }
    }

    private Stored toStored(IndexedFile e) {
        String path = e.path().startsWith(base) ? base.relativize(e.path()).toString().replace('\\', '/') : e.path().toString();
        return new Stored(path, e.size(), e.modifiedNanos(), e.headerRead(), e.patientId(), e.studyUid(), e.modality(),
                e.rows(), e.columns(), e.frames(), e.transferSyntaxUid(), e.photometric(), e.error());
    }

    private IndexedFile fromStored(Stored s) {
        Path path = base.resolve(s.path()).normalize();
        return new IndexedFile(path, s.size(), s.modifiedNanos(), s.headerRead(), s.patientId(), s.studyUid(), s.modality(),
                s.rows(), s.columns(), s.frames(), s.transferSyntaxUid(), s.photometric(), s.error());
    }
}
