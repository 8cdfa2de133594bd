package io.roentgen.server.dimse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** SHA-256 over a model bundle's files (relative names and contents, in name order): the version a report names. */
final class BundleHash {
    private static final Map<Path, String> CACHE = new ConcurrentHashMap<>();

    private BundleHash() {}

    static String of(Path bundle) {
        return CACHE.computeIfAbsent(bundle.toAbsolutePath().normalize(), BundleHash::compute);
    }

    private static String compute(Path bundle) {
        try (Stream<Path> walk = Files.walk(bundle)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
            for (Path f : files) {
                sha.update(bundle.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(Files.readAllBytes(f));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
