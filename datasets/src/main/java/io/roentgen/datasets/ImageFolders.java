package io.roentgen.datasets;

import ai.djl.basicdataset.cv.classification.ImageFolder;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.transform.Resize;
import ai.djl.modality.cv.transform.ToTensor;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.translate.Pipeline;
import ai.djl.util.Progress;
import ai.djl.translate.TranslateException;
import io.roentgen.dicom.image.Normalization;
import io.roentgen.engine.RoentgenException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * PNG/JPEG collections laid out as {@code root/<class>/**.png} (how public data sets often ship),
 * read through djl-basicdataset's {@link ImageFolder}: decoded, converted to 1 or 3 channels,
 * resized to the model input, scaled to [0, 1] and normalised like DICOM input is. Such files carry
 * no patient identity, so the split is by image.
 */
public final class ImageFolders {
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");

    private ImageFolders() {}

    /** The training and validation halves of an image folder, with its class names. */
    public record Split(RandomAccessDataset train, RandomAccessDataset validation, List<String> classNames) {}

    /** Whether {@code root} is a folder of class folders holding PNG or JPEG files. */
    public static boolean isImageFolder(Path root) {
        if (!Files.isDirectory(root)) {
            return false;
        }
        try (Stream<Path> walk = Files.walk(root, 3)) {
            return walk.filter(Files::isRegularFile).anyMatch(ImageFolders::isImage);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /**
     * Reads the folder and splits it by image: {@code validationPercent} of it for validation.
     * The split is drawn from DJL's random generator, which the caller seeds.
     */
    public static Split load(Path root, int size, int channels, Normalization normalization, int batchSize,
            int validationPercent) throws RoentgenException {
        if (channels != 1 && channels != 3) {
            throw RoentgenException.usage("image folders are read with 1 or 3 channels, not " + channels);
        }
        // DJL applies a dataset's transforms when its own DataIterable builds batches; our parallel
        // loader calls get() directly, so the transforms are applied per sample by Transformed.
        Pipeline pipeline = new Pipeline().add(new Resize(size, size)).add(new ToTensor());
        if (normalization != null) {
            // DJL's Normalize assumes three channels; this works for any count.
            float[] mean = toArray(normalization.mean());
            float[] std = toArray(normalization.std());
            pipeline.add(array -> array.sub(array.getManager().create(mean).reshape(mean.length, 1, 1))
                    .div(array.getManager().create(std).reshape(std.length, 1, 1)));
        }
        ImageFolder.Builder builder = ImageFolder.builder().setRepositoryPath(root).optMaxDepth(10)
                .setSampling(batchSize, true);
        if (channels == 1) {
            builder.optFlag(Image.Flag.GRAYSCALE);
        }
        ImageFolder folder = builder.build();
        try {
            folder.prepare();
        } catch (IOException | TranslateException e) {
            throw new RoentgenException(root + ": cannot read the image folder: " + e.getMessage(), false, e);
        }
        if (folder.size() < 2) {
            throw new RoentgenException(root + ": needs class folders with PNG or JPEG images, found " + folder.size());
        }
        try {
            RandomAccessDataset[] parts = folder.randomSplit(100 - validationPercent, validationPercent);
            return new Split(new Transformed(parts[0], pipeline, batchSize), new Transformed(parts[1], pipeline, batchSize),
                    folder.getSynset());
        } catch (IOException | TranslateException e) {
            throw new RoentgenException(root + ": cannot split the image folder: " + e.getMessage(), false, e);
        }
    }

    /** A dataset whose records come out of {@code get} already transformed. */
    static final class Transformed extends RandomAccessDataset {
        private final RandomAccessDataset source;
        private final Pipeline transforms;

        Transformed(RandomAccessDataset source, Pipeline transforms, int batchSize) {
            super(new SamplingOnly().setSampling(batchSize, true));
            this.source = source;
            this.transforms = transforms;
        }

        /** DJL's dataset base needs a builder; only the sampling matters here. */
        private static final class SamplingOnly extends BaseBuilder<SamplingOnly> {
            @Override
            protected SamplingOnly self() {
                return this;
            }
        }

        @Override
        public Record get(NDManager manager, long index) throws IOException {
            Record record = source.get(manager, index);
            return new Record(transforms.transform(record.getData()), record.getLabels());
        }

        @Override
        protected long availableSize() {
            return source.size();
        }

        @Override
        public void prepare(Progress progress) throws IOException, TranslateException {
            source.prepare(progress);
        }
    }

    private static float[] toArray(List<Float> values) {
        float[] a = new float[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }
}
