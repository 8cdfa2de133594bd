package io.roentgen.engine;

import io.roentgen.engine.torch.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the instruction set of oneDNN, libtorch's CPU convolution library, where its AVX-512
 * kernels are wrong: on AMD Zen 5 (family 26) the oneDNN in DJL's libtorch 2.7.1 returned NaN
 * in about 1 of 150 convolution input gradients (finite inputs, a different element each time),
 * which made training diverge at random (docs/DECISIONS.md 30). With the cap at AVX2 it returned
 * none in thousands of passes.
 *
 * <p>oneDNN reads {@code ONEDNN_MAX_CPU_ISA} from the environment when it first picks a kernel,
 * so {@link #apply()} sets it in this process (Java cannot; {@link NativeLibrary} does) before
 * the first convolution. An {@code ONEDNN_MAX_CPU_ISA} or {@code DNNL_MAX_CPU_ISA} already in
 * the environment always wins; {@code -Droentgen.onednnMaxCpuIsa=ISA} sets another cap on any
 * CPU ({@code ALL} lifts it).
 */
public final class OneDnnIsaCap {
    private static final Logger LOG = LoggerFactory.getLogger(OneDnnIsaCap.class);
    static final String VARIABLE = "ONEDNN_MAX_CPU_ISA";
    static final String SAFE_ISA = "AVX2";

    private static volatile String applied;

    private OneDnnIsaCap() {
    }

    /**
     * Sets the cap once per process, before any convolution runs; later calls return the first
     * result. Every entry point calls it through {@link EngineSettings#apply()}, and training and
     * bundle loading call it again for programs that skip that.
     *
     * @return the cap now in force, or null for none
     */
    public static synchronized String apply() {
        if (applied == null) {
            Map<String, String> env = System.getenv();
            applied = decide(System::getProperty, env, readCpuInfo());
            boolean setByUser = env.containsKey(VARIABLE) || env.containsKey("DNNL_MAX_CPU_ISA");
            if (!applied.isEmpty() && !setByUser && !NativeLibrary.setenv(VARIABLE, applied)) {
                LOG.warn("could not cap oneDNN at {}: set {}={} before starting", applied, VARIABLE, applied);
                applied = "";
            }
        }
        return applied.isEmpty() ? null : applied;
    }

    /** The cap for this process: "" for none. */
    static String decide(Function<String, String> properties, Map<String, String> env, String cpuInfo) {
        for (String variable : new String[] {VARIABLE, "DNNL_MAX_CPU_ISA"}) {
            String set = env.get(variable);
            if (set != null && !set.isBlank()) {
                return set.trim();
            }
        }
        String property = properties.apply("roentgen.onednnMaxCpuIsa");
        if (property != null && !property.isBlank()) {
            return property.trim().toUpperCase(Locale.ROOT);
        }
        return hasBrokenAvx512Kernels(cpuInfo) ? SAFE_ISA : "";
    }

    /** AMD family 26 (Zen 5) or later with AVX-512, from /proc/cpuinfo's first processor. */
    static boolean hasBrokenAvx512Kernels(String cpuInfo) {
        boolean amd = false;
        int family = -1;
        boolean avx512 = false;
        for (String line : cpuInfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                if (line.isBlank() && family >= 0) {
                    break; // end of the first processor's block
                }
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "vendor_id" -> amd = value.equals("AuthenticAMD");
                case "cpu family" -> family = parseOr(value, -1);
                case "flags" -> avx512 = (" " + value + " ").contains(" avx512f ");
                default -> { }
            }
        }
        return amd && family >= 26 && avx512;
    }

    private static int parseOr(String text, int fallback) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String readCpuInfo() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            return ""; // not Linux: nothing known to cap
        }
    }
}
