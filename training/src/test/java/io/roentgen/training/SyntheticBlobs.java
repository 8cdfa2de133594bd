package io.roentgen.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.dataset.ArrayDataset;

import java.util.Random;

/**
 * A task a tiny CNN learns in a few epochs: 1x32x32 noise images, and in the positives a bright
 * Gaussian blob somewhere. Deterministic for a seed.
 */
final class SyntheticBlobs {
    static final int SIZE = 32;

    private SyntheticBlobs() {
    }

    /** {@code n} images, a fraction {@code positiveRate} with a blob; labels 0/1 as float32. */
    static ArrayDataset dataset(NDManager manager, int n, double positiveRate, long seed) {
        return dataset(manager, n, positiveRate, seed, 1.5);
    }

    /** As above with the blob's peak {@code amplitude} (against noise of SD 0.3): faint blobs make a harder task. */
    static ArrayDataset dataset(NDManager manager, int n, double positiveRate, long seed, double amplitude) {
        Random random = new Random(seed);
        float[] pixels = new float[n * SIZE * SIZE];
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            boolean positive = random.nextDouble() < positiveRate;
            labels[i] = positive ? 1 : 0;
            int offset = i * SIZE * SIZE;
            for (int p = 0; p < SIZE * SIZE; p++) {
                pixels[offset + p] = (float) (0.3 * random.nextGaussian());
            }
            if (positive) {
                addBlob(pixels, offset, 6 + random.nextInt(SIZE - 12), 6 + random.nextInt(SIZE - 12), amplitude);
            }
        }
        NDArray images = manager.create(pixels, new Shape(n, 1, SIZE, SIZE));
        NDArray targets = manager.create(labels, new Shape(n));
        return new ArrayDataset.Builder().setData(images).optLabels(targets).setSampling(8, false).build();
    }

    /**
     * Multi-label: labels (blob, bright blob). Half the blobs are bright (amplitude 2.5 instead of
     * 1.0); a bright blob is also a blob.
     */
    static ArrayDataset multiLabelDataset(NDManager manager, int n, long seed) {
        Random random = new Random(seed);
        float[] pixels = new float[n * SIZE * SIZE];
        float[] labels = new float[n * 2];
        for (int i = 0; i < n; i++) {
            int offset = i * SIZE * SIZE;
            for (int p = 0; p < SIZE * SIZE; p++) {
                pixels[offset + p] = (float) (0.3 * random.nextGaussian());
            }
            if (random.nextDouble() < 0.5) {
                boolean bright = random.nextBoolean();
                labels[2 * i] = 1;
                labels[2 * i + 1] = bright ? 1 : 0;
                addBlob(pixels, offset, 6 + random.nextInt(SIZE - 12), 6 + random.nextInt(SIZE - 12), bright ? 2.5 : 1.0);
            }
        }
        return new ArrayDataset.Builder().setData(manager.create(pixels, new Shape(n, 1, SIZE, SIZE)))
                .optLabels(manager.create(labels, new Shape(n, 2))).setSampling(8, false).build();
    }

    private static void addBlob(float[] pixels, int offset, int cy, int cx, double amplitude) {
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double d2 = (y - cy) * (y - cy) + (x - cx) * (x - cx);
                pixels[offset + y * SIZE + x] += (float) (amplitude * Math.exp(-d2 / (2 * 2.5 * 2.5)));
            }
        }
    }

    /** Two small convolutions, global average pooling, a linear head; BatchNorm optional. */
    static Block tinyCnn(boolean batchNorm, int classes) {
        SequentialBlock net = new SequentialBlock();
        net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(8).build());
        if (batchNorm) {
            net.add(BatchNorm.builder().build());
        }
        net.add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(8).build())
                .add(Activation::relu)
                .add(Pool.globalMaxPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(classes).build());
        return net;
    }
}
