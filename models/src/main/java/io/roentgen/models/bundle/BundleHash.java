package io.roentgen.models.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The SHA-256 of a model bundle: of the zip's bytes, or of a directory's files (relative names
 * and contents, in sorted order). It names the algorithm in the SRs the server writes, keys a
 * Spark executor's model cache and is written on every scored row, so a score can be traced to
 * the exact weights.
 */
public final class BundleHash {
    private BundleHash() {}

    public static String of(Path bundle) throws IOException {
        MessageDigest digest = sha256();
        if (Files.isDirectory(bundle)) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(bundle)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                digest.update(bundle.relativize(f).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                update(digest, f);
            }
        } else {
            update(digest, bundle);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void update(MessageDigest digest, Path file) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
