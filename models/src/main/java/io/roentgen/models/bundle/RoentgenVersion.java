package io.roentgen.models.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The Roentgen version, stamped into a resource by Maven's resource filtering. */
final class RoentgenVersion {
    private static final String VERSION = load();

    private RoentgenVersion() {}

    static String current() {
        return VERSION;
    }

    private static String load() {
        Properties p = new Properties();
        try (InputStream in = RoentgenVersion.class.getResourceAsStream("roentgen-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        String v = p.getProperty("version", "unknown");
        return v.startsWith("${") ? "unknown" : v;
    }
}
