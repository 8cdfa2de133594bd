package io.roentgen.server.repository;

import ai.djl.Device;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.RoentgenException;
import io.roentgen.engine.torch.ScratchThread;
import io.roentgen.models.Classifier;
import io.roentgen.models.ModelCard;
import io.roentgen.server.batching.BatchFailure;
import io.roentgen.server.batching.BatchListener;
import io.roentgen.server.batching.BatchSizes;
import io.roentgen.server.batching.BatcherClosedException;
import io.roentgen.server.batching.DynamicBatcher;
import io.roentgen.server.batching.Prediction;
import io.roentgen.server.batching.Warmup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The models under {@code DIR/<model>/<version>/}, each served at its latest version. Reloading
 * builds the new version completely (replicas, warm-up) before it replaces the old one; the old
 * batcher then drains what it queued, so no request is dropped.
 */
public final class ModelRepository implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRepository.class);
    private static final int SUBMIT_ATTEMPTS = 5;

    /**
     * How batchers are built for every model.
     *
     * @param warmup run every shape in {@code sizes.shapesToWarm()} once at load
     */
    public record BatchSettings(BatchSizes sizes, long maxQueueDelayNanos, int queueCapacity, boolean warmup,
            long keepWarmNanos) {}

    private final Path root;
    private final ModelFormats formats;
    private final List<Device> devices;
    private final BatchSettings batching;
    private final BatchListener listener;
    private final Map<String, ServedModel> served = new ConcurrentHashMap<>();
    private final Map<String, ModelStatus> status = new ConcurrentHashMap<>();
    private final Object loadLock = new Object();

    public ModelRepository(Path root, ModelFormats formats, List<Device> devices, BatchSettings batching,
            BatchListener listener) {
        this.root = root;
        this.formats = formats;
        this.devices = List.copyOf(devices);
        this.batching = batching;
        this.listener = listener;
    }

    /** Loads every model folder; fails on the first that cannot be loaded (a server must not half-start). */
    public void loadAll() throws RoentgenException {
        List<String> names = modelNames();
        if (names.isEmpty()) {
            throw new RoentgenException("model repository " + root + " holds no model folders (expected DIR/<model>/<version>/)");
        }
        for (String name : names) {
            try {
                load(name);
            } catch (RepositoryException e) {
                throw new RoentgenException("cannot load model '" + name + "': " + e.getMessage());
            }
        }
    }

    /** Loads (or reloads) a model at its latest version. */
    public ServedModel load(String name) throws RepositoryException {
        Path modelDir = modelDir(name);
        synchronized (loadLock) {
            String version = latestVersion(modelDir)
                    .orElseThrow(() -> new RepositoryException.NotFound("model '" + name + "' has no version folder"));
            status.put(name, new ModelStatus(name, version, "LOADING", ""));
            ServedModel fresh;
            try {
                fresh = build(name, version, modelDir.resolve(version));
            } catch (RoentgenException | RuntimeException e) {
                ServedModel current = served.get(name);
                status.put(name, current != null
                        ? new ModelStatus(name, current.version(), "READY", "")
                        : new ModelStatus(name, version, "UNAVAILABLE", e.getMessage()));
                throw new RepositoryException.LoadFailed("cannot load model '" + name + "' version " + version + ": " + e.getMessage(), e);
            }
            ServedModel previous = served.put(name, fresh);
            status.put(name, new ModelStatus(name, version, "READY", ""));
            LOG.info("model '{}' version {} ready on {}", name, version, devices);
            if (previous != null) {
                previous.batcher().close();
            }
            return fresh;
        }
    }

    /** Stops serving a model once what it queued is answered. */
    public void unload(String name) throws RepositoryException {
        modelDir(name);
        synchronized (loadLock) {
            ServedModel previous = served.remove(name);
            if (previous == null) {
                throw new RepositoryException.NotFound("model '" + name + "' is not loaded");
            }
            status.put(name, new ModelStatus(name, previous.version(), "UNAVAILABLE", "unloaded"));
            previous.batcher().close();
        }
    }

    /**
     * The served model.
     *
     * @throws RepositoryException.NotFound    when the repository has no such model
     * @throws RepositoryException.Unavailable while a model of the repository is loading, unloaded
     *                                         or failed to load (a client can retry)
     */
    public ServedModel require(String name) throws RepositoryException {
        ServedModel model = name == null ? null : served.get(name);
        if (model == null) {
            ModelStatus known = name == null ? null : status.get(name);
            if (known != null) {
                throw new RepositoryException.Unavailable("model '" + name + "' is " + known.state().toLowerCase(java.util.Locale.ROOT)
                        + (known.reason().isEmpty() ? "" : " (" + known.reason() + ")") + "; retry after it is loaded", 5);
            }
            throw new RepositoryException.NotFound("model '" + name + "' is not loaded; loaded: " + served.keySet());
        }
        return model;
    }

    /** The served model at exactly {@code version} (null = any); {@link RepositoryException.NotFound} otherwise. */
    public ServedModel require(String name, String version) throws RepositoryException {
        ServedModel model = require(name);
        if (version != null && !version.equals(model.version())) {
            throw new RepositoryException.NotFound("model '" + name + "' version " + version + " is not loaded (serving " + model.version() + ")");
        }
        return model;
    }

    /**
     * Queues one image for the model's current version. A batcher that closed between lookup and
     * submission (a reload) is retried on its successor.
     *
     * @throws BatchFailure.QueueFull when the model's queue is full
     */
    public CompletableFuture<Prediction> submit(String name, String version, FloatImage image, long deadlineNanos)
            throws RepositoryException, BatchFailure.QueueFull {
        for (int attempt = 0; attempt < SUBMIT_ATTEMPTS; attempt++) {
            ServedModel model = require(name, version);
            ModelCard card = model.card();
            if (image.channels() != card.channels() || image.height() != card.height() || image.width() != card.width()) {
                // Prepared for the version that was just replaced by one with another input shape.
                throw new RepositoryException.Unavailable("model '" + name + "' was reloaded with another input shape; retry", 1);
            }
            try {
                return model.batcher().submit(image, deadlineNanos);
            } catch (BatcherClosedException e) {
                Thread.onSpinWait();
            }
        }
        throw new RepositoryException.Unavailable("model '" + name + "' is being reloaded; retry shortly", 1);
    }

    public List<ServedModel> served() {
        return List.copyOf(new TreeMap<>(served).values());
    }

    /** Every model folder with its state, loaded or not. */
    public List<ModelStatus> index() {
        List<ModelStatus> entries = new ArrayList<>();
        for (String name : modelNames()) {
            ModelStatus s = status.get(name);
            entries.add(s != null ? s : new ModelStatus(name, latestVersion(root.resolve(name)).orElse(""), "UNAVAILABLE", "not loaded"));
        }
        return entries;
    }

    public boolean allReady() {
        return !served.isEmpty() && status.values().stream().noneMatch(s -> s.state().equals("LOADING"));
    }

    /** Drains and closes every model. */
    @Override
    public void close() {
        synchronized (loadLock) {
            served.values().parallelStream().forEach(m -> m.batcher().close());
            served.clear();
        }
    }

    private ServedModel build(String name, String version, Path dir) throws RoentgenException {
        // Loading runs libtorch's parallel kernels: on a thread that ends, so the OpenMP pool they
        // start ends with it and only the batching workers' pools remain (docs/DECISIONS.md).
        List<Classifier> replicas = ScratchThread.call("load-" + name + "-v" + version, () -> loadReplicas(dir));
        try {
            Classifier first = replicas.get(0);
            ModelCard card = first.card();
            DynamicBatcher batcher = new DynamicBatcher(name, version, replicas, batching.sizes(),
                    batching.maxQueueDelayNanos(), batching.queueCapacity(), batching.keepWarmNanos(), batching.warmup(),
                    listener);
            replicas = List.of(); // the batcher owns them now, and closes them
            try {
                batcher.awaitWarm();
            } catch (RoentgenException e) {
                batcher.close();
                throw e;
            }
            // The replicas were loaded on the devices in order, so the first one is on devices.get(0).
            return new ServedModel(name, version, dir, card, first.preprocessing(), devices.get(0), batcher);
        } catch (RoentgenException | RuntimeException e) {
            replicas.forEach(Classifier::close);
            throw e;
        }
    }

    /** One replica per device; closes those it loaded when one fails. */
    private List<Classifier> loadReplicas(Path dir) throws RoentgenException {
        List<Classifier> replicas = new ArrayList<>();
        try {
            for (Device device : devices) {
                replicas.add(formats.load(dir, device));
            }
            if (!batching.warmup()) {
                // No warm-up passes on the workers: one batch of one still checks the scores are finite.
                for (Classifier replica : replicas) {
                    Warmup.run(replica, List.of(1));
                }
            }
            return replicas;
        } catch (RoentgenException | RuntimeException e) {
            replicas.forEach(Classifier::close);
            throw e;
        }
    }

    private Path modelDir(String name) throws RepositoryException {
        // Names come from URLs: only plain folder names under the root, never a path.
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}") || !Files.isDirectory(root.resolve(name))) {
            throw new RepositoryException.NotFound("no model '" + name + "' in the repository");
        }
        return root.resolve(name);
    }

    private List<String> modelNames() {
        return subfolders(root);
    }

    /** The highest version folder: numerically when names are numbers, else by name. */
    static Optional<String> latestVersion(Path modelDir) {
        return subfolders(modelDir).stream().max(VERSION_ORDER);
    }

    /** Orders version folder names: numerically when both are numbers, numbers after names otherwise. */
    public static int compareVersions(String a, String b) {
        return VERSION_ORDER.compare(a, b);
    }

    static final Comparator<String> VERSION_ORDER = (a, b) -> {
        boolean na = a.matches("\\d{1,18}");
        boolean nb = b.matches("\\d{1,18}");
        if (na && nb) {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        }
        return na != nb ? (na ? 1 : -1) : a.compareTo(b);
    };

    private static List<String> subfolders(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
