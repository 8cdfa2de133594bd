package io.roentgen.datasets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import io.roentgen.datasets.cache.TensorCache;
import io.roentgen.datasets.manifest.BadFilePolicy;
import io.roentgen.datasets.manifest.BadFileReport;
import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomReader;
import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestEntry;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.datasets.split.Subset;
import io.roentgen.dicom.image.Augmentation;
import io.roentgen.dicom.image.Augmenter;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.image.Preprocessing;
import io.roentgen.engine.RoentgenException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The DICOM images of a {@link Manifest} as a DJL {@link RandomAccessDataset}: record {@code i} is
 * (image float32 C x H x W, label), the label a float32 scalar class index for a single-label
 * manifest or a float32 multi-hot vector (one per class) for a multi-label one.
 *
 * <p><b>Frame:</b> multi-frame files contribute frame 0 ({@link #FRAME}): the frame the inference
 * server scores, and the only one decoded (an encapsulated file's other frames are never touched).
 *
 * <p><b>Pipeline:</b> the spec's {@link Preprocessing} cut in two: full read, decode and window
 * ({@link Preprocessing#window}), then the deterministic geometry ({@link Preprocessing#geometry}),
 * which the optional {@link TensorCache} stores (float16),
 * then augmentation (training only; drawn from (seed, epoch, index), the epoch set with
 * {@link #setEpoch}) and normalisation. So a cached epoch skips decoding and resizing but still
 * gets fresh augmentation.
 *
 * <p><b>Bad files:</b> {@link Builder#build} indexes every file (header read and cheap checks, see
 * {@link CollectionIndex}) and drops unusable ones under the {@link BadFileReport}'s policy, so
 * {@code get} only meets files that passed. If decoding still fails in {@code get} (a corrupt
 * compressed stream, a deflated data set damaged after its header), the sample is replaced by the
 * next index that decodes, the failure is recorded in the report and {@link #substitutions()} and
 * never retried; {@code get} throws only when no sample at all can be decoded. A training loop
 * therefore never stops half-way through an epoch for one bad file.
 *
 * <p><b>Threads:</b> {@code get} is safe from several threads (the training loader's workers):
 * reader, preprocessing and augmenter are immutable, the cache is lock-free, the
 * failure bookkeeping is concurrent.
 */
public final class DicomDataset extends RandomAccessDataset implements EpochAware {
    /** The frame used from multi-frame files. */
    public static final int FRAME = 0;
    private static final System.Logger LOG = System.getLogger(DicomDataset.class.getName());

    private final Manifest manifest;
    private final List<ManifestEntry> entries;
    private final PreprocessingSpec spec;
    private final Preprocessing preprocessing;
    private final Augmenter augmenter;
    private final long augmentationSeed;
    private final TensorCache cache;
    private final BadFileReport badFiles;
    private final Set<Integer> failed = ConcurrentHashMap.newKeySet();
    private final List<Substitution> substitutions = new CopyOnWriteArrayList<>();
    private volatile int epoch;

    /** A sample that could not be decoded in {@code get} and what was served instead. */
    public record Substitution(int index, int servedIndex, String reason) {}

    /** One preprocessed sample: the entry actually served (another one after a substitution) and its image. */
    public record Sample(int entryIndex, FloatImage image) {}

    private DicomDataset(Builder b, List<ManifestEntry> usable) {
        super(b);
        this.manifest = b.manifest.withEntries(usable);
        this.entries = this.manifest.entries();
        this.spec = b.spec;
        this.preprocessing = Preprocessing.of(b.spec);
        this.augmenter = new Augmenter(b.augmentation);
        this.augmentationSeed = b.augmentationSeed;
        this.cache = b.cache;
        this.badFiles = b.badFiles;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Sets the epoch augmentation is drawn for; a training run sets it before each epoch. */
    @Override
    public void setEpoch(int epoch) {
        this.epoch = epoch;
    }

    public int epoch() {
        return epoch;
    }

    /** The usable entries, index = sample index. */
    public Manifest manifest() {
        return manifest;
    }

    public PreprocessingSpec spec() {
        return spec;
    }

    /** Files skipped at build time and samples that failed in {@code get}. */
    public BadFileReport badFiles() {
        return badFiles;
    }

    /** Samples replaced in {@code get} so far. */
    public List<Substitution> substitutions() {
        return List.copyOf(substitutions);
    }

    /** The tensor cache, or null. */
    public TensorCache cache() {
        return cache;
    }

    @Override
    public Record get(NDManager manager, long index) throws IOException {
        Sample sample = sample(index);
        FloatImage image = sample.image();
        NDArray data = manager.create(image.data(), new Shape(image.channels(), image.height(), image.width()));
        return new Record(new NDList(data), new NDList(label(manager, entries.get(sample.entryIndex()))));
    }

    /**
     * The preprocessed image of sample {@code index}, or of the next decodable one when it fails.
     *
     * @throws IOException only when no sample of the dataset can be decoded
     */
    public Sample sample(long index) throws IOException {
        int n = entries.size();
        int first = Math.toIntExact(Objects.checkIndex(index, n));
        for (int attempt = 0; attempt < n; attempt++) {
            int candidate = (first + attempt) % n;
            if (failed.contains(candidate)) {
                continue;
            }
            try {
                FloatImage image = tensor(candidate);
                if (candidate != first) {
                    substitutions.add(new Substitution(first, candidate, "sample " + first + " failed earlier"));
                }
                return new Sample(candidate, image);
            } catch (IOException | DicomException | RuntimeException e) {
                markFailed(candidate, e);
            }
        }
        throw new IOException("no sample of the dataset can be decoded (" + n + " failed; see the bad-file report)");
    }

    /** The label of an entry: class index (scalar) or multi-hot vector, float32. */
    public NDArray label(NDManager manager, ManifestEntry entry) {
        if (!manifest.multiLabel()) {
            return manager.create((float) entry.labelIndices().get(0));
        }
        float[] hot = new float[manifest.classCount()];
        for (int c : entry.labelIndices()) {
            hot[c] = 1f;
        }
        return manager.create(hot);
    }

    private FloatImage tensor(int index) throws IOException, DicomException {
        Path path = entries.get(index).path();
        FloatImage geometry = cache == null ? geometry(path) : cache.getOrCompute(path, () -> geometry(path));
        return preprocessing.finish(geometry, augmenter, augmentationSeed, epoch, index);
    }

    /** Decode and geometry; a read error counts as a decoding failure (one checked type for the cache). */
    private FloatImage geometry(Path path) throws DicomException {
        try {
            return preprocessing.geometry(preprocessing.window(DicomReader.defaults().read(path), FRAME));
        } catch (IOException e) {
            throw new DicomException("cannot read: " + e.getMessage(), e);
        }
    }

    private void markFailed(int index, Exception e) {
        if (failed.add(index)) {
            String reason = "cannot decode in get(): " + e.getClass().getSimpleName() + ": " + e.getMessage();
            badFiles.record(entries.get(index).path(), reason);
            // The sample index and the reason only: a file path may carry patient names.
            LOG.log(System.Logger.Level.WARNING, "sample {0} cannot be decoded ({1}); the next decodable sample is served",
                    index, e.getClass().getSimpleName());
        }
    }

    @Override
    protected long availableSize() {
        return entries.size();
    }

    @Override
    public void prepare(Progress progress) {
        // Indexing happens in build(): nothing to download or prepare.
    }

    /** Builds a {@link DicomDataset}; sampling defaults to batches of 32 in order. */
    public static final class Builder extends BaseBuilder<Builder> {
        private Manifest manifest;
        private Subset subset;
        private PreprocessingSpec spec;
        private Augmentation augmentation = Augmentation.off();
        private long augmentationSeed;
        private TensorCache cache;
        private CollectionIndex index;
        private BadFileReport badFiles;

        private Builder() {
            setSampling(32, false);
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder manifest(Manifest value) {
            manifest = value;
            return this;
        }

        /** Keeps only the entries whose {@code split} names this subset. */
        public Builder subset(Subset value) {
            subset = value;
            return this;
        }

        public Builder preprocessing(PreprocessingSpec value) {
            spec = value;
            return this;
        }

        /** Training augmentation, drawn per (seed, epoch, index); leave unset for evaluation. */
        public Builder augmentation(Augmentation value, long seed) {
            augmentation = value;
            augmentationSeed = seed;
            return this;
        }

        public Builder cache(TensorCache value) {
            cache = value;
            return this;
        }

        /** The index to check files with (an in-memory one when unset); saved after the check. */
        public Builder index(CollectionIndex value) {
            index = value;
            return this;
        }

        /** Where unusable files go (skip and record by default). */
        public Builder badFiles(BadFileReport value) {
            badFiles = value;
            return this;
        }

        /**
         * Selects the entries, checks their files through the index and drops unusable ones.
         *
         * @throws RoentgenException under {@link BadFilePolicy#FAIL} at the first unusable file
         */
        public DicomDataset build() throws RoentgenException {
            Objects.requireNonNull(manifest, "manifest");
            Objects.requireNonNull(spec, "preprocessing");
            if (badFiles == null) {
                badFiles = new BadFileReport(BadFilePolicy.SKIP);
            }
            CollectionIndex checker = index != null ? index : CollectionIndex.inMemory();
            List<ManifestEntry> selected = manifest.entries().stream()
                    .filter(e -> subset == null || Subset.parse(e.split()) == subset).toList();
            List<IndexedFile> checked = checker.entries(selected.stream().map(ManifestEntry::path).toList());
            List<ManifestEntry> usable = new ArrayList<>(selected.size());
            for (int i = 0; i < selected.size(); i++) {
                ManifestEntry entry = selected.get(i);
                if (checked.get(i).usable()) {
                    usable.add(entry);
                } else {
                    String where = entry.line() > 0 ? " (manifest line " + entry.line() + ")" : "";
                    badFiles.skipOrFail(entry.path(), checked.get(i).error() + where, null);
                }
            }
            DicomCollection.save(checker);
            return new DicomDataset(this, usable);
        }
    }
}
