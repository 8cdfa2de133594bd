package io.roentgen.models.bundle;

import io.roentgen.engine.RoentgenException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * A bundle in a zip archive, read into memory and never extracted, so a hostile archive cannot
 * write anywhere. Entry names that climb out of the archive ({@code ../}, absolute paths,
 * backslashes, drive letters) are refused outright, and every entry is read with a byte cap
 * that does not trust the sizes the archive declares (a zip bomb stops at the cap).
 *
 * <p>The files may sit at the archive's root or inside one top-level folder
 * ({@code blobs/model.json}), the layout {@code zip -r blobs.zip blobs} gives.
 */
final class ZipBundleFiles implements BundleFiles {
    private static final int MAX_ENTRIES = 64;

    private final Path zip;
    private final Map<String, byte[]> files;

    private ZipBundleFiles(Path zip, Map<String, byte[]> files) {
        this.zip = zip;
        this.files = files;
    }

    static ZipBundleFiles read(Path zip, long maxTotalBytes) throws RoentgenException {
        Map<String, byte[]> entries = new HashMap<>();
        long total = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                String name = safeName(zip, entry.getName());
                if (entries.size() >= MAX_ENTRIES) {
                    throw new RoentgenException(zip + ": more than " + MAX_ENTRIES + " entries; not a model bundle");
                }
                if (!entry.isDirectory()) {
                    byte[] bytes = readCapped(in, zip, name, maxTotalBytes, maxTotalBytes - total);
                    total += bytes.length;
                    entries.put(name, bytes);
                }
            }
        } catch (ZipException e) {
            throw new RoentgenException(zip + ": not a valid zip archive: " + e.getMessage(), false, e);
        } catch (IOException e) {
            throw new RoentgenException(zip + ": cannot read: " + e.getMessage(), false, e);
        }
        if (entries.isEmpty()) {
            throw new RoentgenException(zip + ": not a model bundle (neither a directory nor a zip with model.json)");
        }
        return new ZipBundleFiles(zip, withoutCommonFolder(entries));
    }

    /** The entry name, if it stays inside the archive; else the archive is refused. */
    static String safeName(Path zip, String name) throws RoentgenException {
        boolean hostile = name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains(":")
                || name.indexOf('\0') >= 0;
        for (String part : name.split("/")) {
            hostile |= part.equals("..");
        }
        if (hostile) {
            throw new RoentgenException(zip + ": refused: entry '" + printable(name)
                    + "' points outside the archive (path traversal); nothing was extracted");
        }
        return name;
    }

    private static byte[] readCapped(InputStream in, Path zip, String name, long maxTotalBytes, long cap)
            throws IOException, RoentgenException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        long read = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            read += n;
            if (read > cap) {
                throw new RoentgenException(zip + ": refused: entry '" + printable(name) + "' inflates past "
                        + maxTotalBytes + " bytes for the whole bundle; not a model bundle");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** Strips one top-level folder that every file shares. */
    private static Map<String, byte[]> withoutCommonFolder(Map<String, byte[]> entries) {
        if (entries.containsKey(BundleManifest.FILE_NAME)) {
            return entries;
        }
        String prefix = null;
        for (String name : entries.keySet()) {
            int slash = name.indexOf('/');
            String folder = slash < 0 ? "" : name.substring(0, slash + 1);
            if (prefix != null && !prefix.equals(folder)) {
                return entries;
            }
            prefix = folder;
        }
        if (prefix == null || prefix.isEmpty()) {
            return entries;
        }
        Map<String, byte[]> stripped = new HashMap<>();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            stripped.put(e.getKey().substring(prefix.length()), e.getValue());
        }
        return stripped;
    }

    private static String printable(String name) {
        return name.replaceAll("[^\\x20-\\x7e]", "?");
    }

    @Override
    public String location() {
        return zip.toString();
    }

    @Override
    public boolean has(String name) {
        return files.containsKey(name);
    }

    @Override
    public byte[] read(String name) throws RoentgenException {
        byte[] bytes = files.get(name);
        if (bytes == null) {
            throw new RoentgenException(zip + ": bundle has no " + name);
        }
        return bytes;
    }
}
