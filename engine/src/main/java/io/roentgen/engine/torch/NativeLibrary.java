package io.roentgen.engine.torch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Roentgen's own JNI library, {@code libroentgen_torch.so}, built with this module from
 * {@code src/main/native/roentgen_torch.cpp} (Linux only). It links no libtorch, so it can be
 * loaded before DJL loads libtorch (for {@link #setenvIfUnset}) as well as after (for
 * {@link InPlaceOps}). Elsewhere the jar has no library and callers take their fallbacks.
 */
public final class NativeLibrary {
    private static final Logger LOG = LoggerFactory.getLogger(NativeLibrary.class);
    private static final String NAME = "libroentgen_torch.so";

    private NativeLibrary() {
    }

    /** Loads the library once; false where the jar has none for this platform or it fails to load. */
    public static boolean load() {
        return Holder.LOADED;
    }

    /**
     * Sets an environment variable of this process (the C library's, which native code reads;
     * {@link System#getenv} keeps its start-up copy) unless it is set already.
     *
     * @return whether the variable now has this value
     */
    public static boolean setenv(String name, String value) {
        return load() && setenvIfUnset(name, value);
    }

    private static native boolean setenvIfUnset(String name, String value);

    private static final class Holder {
        static final boolean LOADED = extractAndLoad();

        private static boolean extractAndLoad() {
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
                return false;
            }
            String resource = "linux-" + System.getProperty("os.arch", "").toLowerCase(Locale.ROOT) + "/" + NAME;
            try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
                if (in == null) {
                    LOG.debug("no {} for this platform", NAME);
                    return false;
                }
                Path file = Files.createTempFile("roentgen_torch", ".so");
                file.toFile().deleteOnExit();
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toString());
                return true;
            } catch (IOException | UnsatisfiedLinkError e) {
                LOG.warn("{} unavailable ({}): in-place activations and the oneDNN ISA cap are off", NAME, e.toString());
                return false;
            }
        }
    }
}
