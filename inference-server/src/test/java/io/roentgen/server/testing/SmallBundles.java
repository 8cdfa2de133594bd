package io.roentgen.server.testing;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;
import io.roentgen.models.bundle.ModelBundle;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Real Roentgen bundles (the {@code small} CNN with BatchNorm, freshly initialised) and test images for them. */
public final class SmallBundles {
    private SmallBundles() {}

    /** Writes a seeded, initialised {@code small} bundle for 1 x size x size input to {@code dir}. */
    public static Path write(Path dir, int size, int seed) throws RoentgenException {
        ArchitectureSpec spec = ArchitectureSpec.of("small", 1, 2).withImageSize(size);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(seed);
            Block block = Architectures.build(spec);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, size, size));
            return ModelBundle.writer().name("small" + size).version("1").architecture(spec).block(block)
                    .preprocessing(PreprocessingSpec.standard(size, 1)).labels(List.of("normal", "finding"))
                    .build().writeDirectory(dir);
        }
    }

    /** Distinct, deterministic noise images of 1 x size x size. */
    public static List<FloatImage> images(int n, int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<FloatImage> images = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] data = new float[size * size];
            double brightness = -3 + 6.0 * i / n; // spreads the scores of an untrained network
            for (int p = 0; p < data.length; p++) {
                data[p] = (float) (brightness + random.nextGaussian());
            }
            images.add(new FloatImage(data, 1, size, size));
        }
        return images;
    }
}
