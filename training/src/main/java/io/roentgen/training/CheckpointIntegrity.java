package io.roentgen.training;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SHA-256 manifest of a checkpoint folder, {@code MANIFEST.sha256} in {@code sha256sum}
 * format ({@code <hex>  <file>} per line, so {@code sha256sum -c MANIFEST.sha256} checks it too).
 *
 * <p>Written last and durably: the data files are fsynced, then the manifest goes to a temporary
 * file that is fsynced, renamed into place and the folder fsynced. A folder whose manifest is
 * present therefore had all its data on disk first, and any later damage (a truncated or
 * overwritten file, a missing one, a corrupt manifest) is found by {@link #verify} before a single
 * byte is used, with one line that names the file.
 */
public final class CheckpointIntegrity {
    public static final String MANIFEST = "MANIFEST.sha256";
    private static final Pattern LINE = Pattern.compile("([0-9a-f]{64})  ([A-Za-z0-9._-]+)");

    private CheckpointIntegrity() {}

    /** Syncs {@code files} of {@code folder}, then writes and syncs their manifest. */
    public static void seal(Path folder, List<String> files) throws IOException {
        StringBuilder manifest = new StringBuilder();
        for (String file : files) {
            Path path = folder.resolve(file);
            fsync(path);
            manifest.append(sha256(path)).append("  ").append(file).append('\n');
        }
        Path temporary = folder.resolve(MANIFEST + ".tmp");
        Files.writeString(temporary, manifest, StandardCharsets.UTF_8);
        fsync(temporary);
        moveAtomically(temporary, folder.resolve(MANIFEST));
        fsync(folder);
    }

    /**
     * Checks every file the manifest names, and that it names all of {@code required}.
     *
     * @throws DamagedCheckpointException naming the damaged or missing file
     */
    public static void verify(Path folder, List<String> required) throws DamagedCheckpointException {
        Map<String, String> expected = readManifest(folder);
        for (String file : required) {
            if (!expected.containsKey(file)) {
                throw new DamagedCheckpointException(folder, MANIFEST, "lists no checksum for " + file);
            }
        }
        for (Map.Entry<String, String> entry : expected.entrySet()) {
            Path path = folder.resolve(entry.getKey());
            String actual;
            try {
                actual = sha256(path);
            } catch (NoSuchFileException e) {
                throw new DamagedCheckpointException(folder, entry.getKey(), "is missing");
            } catch (IOException e) {
                throw new DamagedCheckpointException(folder, entry.getKey(), "cannot be read (" + e.getMessage() + ")");
            }
            if (!actual.equals(entry.getValue())) {
                throw new DamagedCheckpointException(folder, entry.getKey(), "does not match its SHA-256 in " + MANIFEST);
            }
        }
    }

    private static Map<String, String> readManifest(Path folder) throws DamagedCheckpointException {
        List<String> lines;
        try {
            lines = Files.readAllLines(folder.resolve(MANIFEST), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new DamagedCheckpointException(folder, MANIFEST, "is missing");
        } catch (IOException e) {
            // undecodable bytes (a MalformedInputException) or an unreadable file
            throw new DamagedCheckpointException(folder, MANIFEST, "cannot be read (" + e + ")");
        }
        Map<String, String> expected = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (!m.matches() || expected.put(m.group(2), m.group(1)) != null) {
                throw new DamagedCheckpointException(folder, MANIFEST, "is corrupt (line " + (expected.size() + 1) + ")");
            }
        }
        if (expected.isEmpty()) {
            throw new DamagedCheckpointException(folder, MANIFEST, "is empty");
        }
        return expected;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Forces a file's or a folder's contents to disk (a folder: its entries, so renames in it last). */
    static void fsync(Path path) throws IOException {
        boolean folder = Files.isDirectory(path);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (!folder) {
                throw e;
            }
            // Some platforms cannot open a folder for syncing; the files in it are synced already.
        }
    }

    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A checkpoint whose files do not match their manifest: the message is one line naming the file. */
    public static final class DamagedCheckpointException extends IOException {
        private final Path checkpoint;

        DamagedCheckpointException(Path checkpoint, String file, String what) {
            super("checkpoint " + checkpoint + " is damaged: " + file + " " + what);
            this.checkpoint = checkpoint;
        }

        public Path checkpoint() {
            return checkpoint;
        }
    }
}
