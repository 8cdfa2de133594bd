package io.roentgen.engine;

import java.util.Map;
import java.util.function.Function;

/**
 * The one place that decides how DJL's PyTorch engine runs: intra-op threads (inside one
 * operator), inter-op threads (operators in parallel) and offline mode. They must be set before
 * the engine first loads, so {@link #apply()} is called at start-up by every entry point.
 *
 * <p>Defaults are the fastest measured (docs/DECISIONS.md, "Thread defaults"): one inter-op
 * thread and one intra-op thread per available core. DJL's own defaults ran ResNet inference
 * several times slower on a 2-core machine, because inter-op and intra-op pools oversubscribed
 * the cores.
 *
 * <p>Overrides, strongest first: builder values, system properties
 * {@code roentgen.intraOpThreads} / {@code roentgen.interOpThreads}, environment variables
 * {@code ROENTGEN_INTRA_OP_THREADS} / {@code ROENTGEN_INTER_OP_THREADS}.
 */
public final class EngineSettings {
    static final String DJL_INTRA_OP = "ai.djl.pytorch.num_threads";
    static final String DJL_INTER_OP = "ai.djl.pytorch.num_interop_threads";
    static final String DJL_OFFLINE = "ai.djl.offline";

    private final int intraOpThreads;
    private final int interOpThreads;
    private final boolean offline;

    private EngineSettings(Builder builder) {
        this.intraOpThreads = builder.intraOpThreads;
        this.interOpThreads = builder.interOpThreads;
        this.offline = builder.offline;
    }

    /** Settings from the environment and system properties, else the measured defaults. */
    public static EngineSettings fromEnvironment() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder(System::getProperty, System.getenv());
    }

    static Builder builder(Function<String, String> properties, Map<String, String> env) {
        return new Builder(properties, env);
    }

    public int intraOpThreads() {
        return intraOpThreads;
    }

    public int interOpThreads() {
        return interOpThreads;
    }

    public boolean offline() {
        return offline;
    }

    /**
     * Hands the settings to DJL through the system properties its PyTorch engine reads when it
     * loads. Has no effect on an engine that is already loaded, so call it first thing.
     */
    public EngineSettings apply() {
        System.setProperty(DJL_INTRA_OP, Integer.toString(intraOpThreads));
        System.setProperty(DJL_INTER_OP, Integer.toString(interOpThreads));
        if (offline) {
            System.setProperty(DJL_OFFLINE, "true");
        }
        return this;
    }

    @Override
    public String toString() {
        return "intra-op threads " + intraOpThreads + ", inter-op threads " + interOpThreads
                + (offline ? ", offline" : ", online");
    }

    /** Builds settings; unset values come from the environment or the defaults. */
    public static final class Builder {
        private int intraOpThreads;
        private int interOpThreads;
        private boolean offline;

        private Builder(Function<String, String> properties, Map<String, String> env) {
            int cores = Runtime.getRuntime().availableProcessors();
            intraOpThreads = positive(properties.apply("roentgen.intraOpThreads"),
                    env.get("ROENTGEN_INTRA_OP_THREADS"), cores);
            interOpThreads = positive(properties.apply("roentgen.interOpThreads"),
                    env.get("ROENTGEN_INTER_OP_THREADS"), 1);
            String offlineText = properties.apply("roentgen.offline");
            if (offlineText == null) {
                offlineText = env.getOrDefault("ROENTGEN_OFFLINE", "true");
            }
            offline = !"false".equalsIgnoreCase(offlineText.trim());
        }

        private static int positive(String property, String env, int fallback) {
            for (String text : new String[] {property, env}) {
                if (text != null && !text.isBlank()) {
                    try {
                        int value = Integer.parseInt(text.trim());
                        if (value > 0) {
                            return value;
                        }
                    } catch (NumberFormatException ignored) {
                        // fall through to the next source: a bad override must not stop start-up
                    }
                }
            }
            return fallback;
        }

        public Builder intraOpThreads(int threads) {
            this.intraOpThreads = requirePositive(threads, "intra-op threads");
            return this;
        }

        public Builder interOpThreads(int threads) {
            this.interOpThreads = requirePositive(threads, "inter-op threads");
            return this;
        }

        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        private static int requirePositive(int value, String what) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " must be at least 1, got " + value);
            }
            return value;
        }

        public EngineSettings build() {
            return new EngineSettings(this);
        }
    }
}
