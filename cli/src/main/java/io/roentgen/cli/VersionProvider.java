package io.roentgen.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Versions stamped into the jar at build time by Maven resource filtering. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    private static final Properties VERSIONS = load();

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    public static String roentgenVersion() {
        return VERSIONS.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "roentgen " + roentgenVersion(),
            "DJL " + VERSIONS.getProperty("djl", "?") + ", PyTorch " + VERSIONS.getProperty("pytorch", "?")
                    + ", Java " + System.getProperty("java.version")
        };
    }
}
