package io.roentgen.spark;

import io.roentgen.models.bundle.BundleHash;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;
import io.roentgen.models.bundle.ModelBundle;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The models loaded in this executor JVM, one per bundle hash, shared by every task that runs
 * here and kept until the JVM exits (executors are reused across jobs; reloading per partition is
 * what DJL's Spark extension does and what this avoids).
 *
 * <p>Sharing is safe because a forward pass of a loaded bundle keeps its tensors in a sub-manager
 * of its own call and changes no state of the network; what is per task is the
 * {@link PartitionScorer} around it.
 */
public final class ExecutorModels {
    private static final System.Logger LOG = System.getLogger(ExecutorModels.class.getName());
    private static final Map<String, Classifier> MODELS = new ConcurrentHashMap<>();
    private static final AtomicLong LOADS = new AtomicLong();

    private ExecutorModels() {}

    /** The model of {@code bundle}, loaded on first use in this JVM with {@code threads} libtorch threads. */
    static Classifier get(BundleRef bundle, int threads) throws RoentgenException {
        Classifier model = MODELS.get(bundle.hash());
        if (model != null) {
            return model;
        }
        synchronized (MODELS) {
            model = MODELS.get(bundle.hash());
            if (model == null) {
                model = load(bundle, threads);
                MODELS.put(bundle.hash(), model);
            }
            return model;
        }
    }

    private static Classifier load(BundleRef bundle, int threads) throws RoentgenException {
        Path local;
        try {
            local = LocalBundle.resolve(bundle.uri());
            String hash = BundleHash.of(local);
            if (!hash.equals(bundle.hash())) {
                throw new RoentgenException(bundle.uri() + ": the bundle on this executor has hash " + hash
                        + ", the driver's has " + bundle.hash());
            }
        } catch (IOException e) {
            throw new RoentgenException(bundle.uri() + ": " + e.getMessage(), false, e);
        }
        EngineSettings.builder().intraOpThreads(threads).interOpThreads(1).offline(true).build().apply();
        Classifier model = ModelBundle.load(local, Device.cpu());
        // The properties above only count before libtorch starts; this sets a running one too.
        JniUtils.setNumThreads(threads);
        long n = LOADS.incrementAndGet();
        LOG.log(System.Logger.Level.INFO, "loaded model {0} {1} (bundle {2}) with {3} intra-op threads; load {4} in this JVM",
                bundle.name(), bundle.version(), bundle.hash().substring(0, 12), threads, n);
        return model;
    }

    /** How many times a model was loaded in this JVM (the one-model-per-executor metric). */
    public static long loads() {
        return LOADS.get();
    }

    /** Closes every cached model (tests; an executor just exits). */
    public static void closeAll() {
        synchronized (MODELS) {
            MODELS.values().forEach(Classifier::close);
            MODELS.clear();
        }
    }
}
