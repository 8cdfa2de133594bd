package io.roentgen.engine.torch;

import ai.djl.engine.Engine;
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
 * {@code src/main/native/roentgen_torch.cpp} (Linux only). It links no libtorch: it binds to the
 * libtorch DJL loaded, for {@link InPlaceOps}, {@link #setJunkFill} and {@link #mklKernels}.
 * Elsewhere the jar has no library and callers take their fallbacks.
 *
 * <p>Loading it also answers the vendor check of the oneMKL inside libtorch on AMD CPUs, so
 * that matrix products (linear layers, Roentgen's 1x1 convolutions) run MKL's AVX-512 kernels
 * instead of its slower non-Intel paths (docs/DECISIONS.md 34). MKL settles its choice at its
 * first call, so the networks and bundle loaders load this library before they compute.
 * {@code -Droentgen.mklIntelKernels=false} leaves MKL as it is.
 */
public final class NativeLibrary {
    private static final Logger LOG = LoggerFactory.getLogger(NativeLibrary.class);
    private static final String NAME = "libroentgen_torch.so";

    private NativeLibrary() {
    }

    /**
     * Loads the library and runs one class's symbol binding: false, with {@code missing} logged as a
     * warning, when libtorch lacks the symbols; false, quietly, where there is no library at all.
     */
    static boolean bind(java.util.function.BooleanSupplier binding, String missing) {
        if (!load()) {
            return false;
        }
        boolean bound = binding.getAsBoolean();
        if (!bound) {
            LOG.warn(missing);
        }
        return bound;
    }

    /** Loads the library once; false where the jar has none for this platform or it fails to load. */
    public static boolean load() {
        return Holder.LOADED;
    }

    /**
     * Switches libtorch's junk fill of new CPU allocations on or off for the whole process: while
     * on, every new CPU tensor starts as NaN instead of whatever memory the allocator hands out.
     * A diagnostic (tests use it): a kernel that reads memory it never wrote then fails every
     * time instead of now and then. Call it after the engine has loaded.
     *
     * @return whether the switch is available (this library and libtorch's flag were found)
     */
    public static boolean junkFill(boolean on) {
        return load() && setJunkFill(on);
    }

    private static native boolean setJunkFill(boolean on);

    /** What MKL was told about this CPU when the library loaded, for {@code roentgen info}. */
    public static String mklKernels() {
        if (!load()) {
            return "MKL default (no native library)";
        }
        return switch (Holder.mklPatch) {
            case 1 -> "MKL Intel kernels on this AMD CPU";
            case -1 -> "MKL default (vendor check could not be answered)";
            case -2 -> "MKL default (-Droentgen.mklIntelKernels=false)";
            default -> "MKL default";
        };
    }

    private static native int useMklIntelKernels();

    private static final class Holder {
        static int mklPatch;
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
                Engine.getEngine("PyTorch"); // libtorch first: the library binds to it
                System.load(file.toString());
                mklPatch = Boolean.parseBoolean(System.getProperty("roentgen.mklIntelKernels", "true"))
                        ? useMklIntelKernels() : -2;
                return true;
            } catch (IOException | UnsatisfiedLinkError | ai.djl.engine.EngineException e) {
                LOG.warn("{} unavailable ({}): in-place activations are off", NAME, e.toString());
                return false;
            }
        }
    }
}
