package io.roentgen.training.data;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelBatchLoaderTest {

    /** Sample i holds the value i as data and 10 * i as label. */
    private static ArrayDataset numbered(NDManager manager, int n) {
        float[] values = new float[n];
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
            labels[i] = 10 * i;
        }
        return new ArrayDataset.Builder().setData(manager.create(values, new Shape(n, 1)))
                .optLabels(manager.create(labels, new Shape(n))).setSampling(1, false).build();
    }

    @Test
    void everySampleOncePerEpochInASeededOrder() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             ParallelBatchLoader loader = new ParallelBatchLoader(numbered(manager, 50), 16, 3, 2, false)) {
            assertEquals(4, loader.batchesPerEpoch());
            List<Integer> first = read(loader, manager, OptionalLong.of(7), 0);
            assertEquals(IntStream.range(0, 50).boxed().toList(), first.stream().sorted().toList());
            assertEquals(first, read(loader, manager, OptionalLong.of(7), 0), "same seed, same order");
            assertNotEquals(first, read(loader, manager, OptionalLong.of(8), 0), "another epoch, another order");
            assertEquals(IntStream.range(0, 50).boxed().toList(), read(loader, manager, OptionalLong.empty(), 0));
            assertEquals(first.subList(32, 50), read(loader, manager, OptionalLong.of(7), 2), "resume at batch 2");
            assertTrue(manager.getManagedArrays().size() <= 2, "only the dataset's two arrays remain");
        }
    }

    @Test
    void trainingDropsTheIncompleteLastBatch() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             ParallelBatchLoader loader = new ParallelBatchLoader(numbered(manager, 50), 16, 2, 1, true)) {
            assertEquals(3, loader.batchesPerEpoch());
            assertEquals(48, read(loader, manager, OptionalLong.of(1), 0).size());
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             ParallelBatchLoader loader = new ParallelBatchLoader(numbered(manager, 5), 16, 2, 1, true)) {
            assertEquals(1, loader.batchesPerEpoch(), "a dataset smaller than a batch is one batch");
            assertEquals(5, read(loader, manager, OptionalLong.of(1), 0).size());
        }
    }

    @Test
    void closingEarlyReleasesBatchesReadAhead() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             ParallelBatchLoader loader = new ParallelBatchLoader(numbered(manager, 64), 8, 2, 3, false)) {
            try (EpochBatches batches = loader.epoch(manager, OptionalLong.of(1), 0)) {
                try (Batch batch = batches.next()) {
                    assertEquals(new Shape(8, 1), batch.getData().head().getShape());
                }
            }
            assertTrue(manager.getManagedArrays().size() <= 2, "no batch arrays left behind");
        }
    }

    @Test
    void aFailingSampleIsReportedWithItsCause() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             ParallelBatchLoader loader = new ParallelBatchLoader(new Failing(), 4, 2, 2, false);
             EpochBatches batches = loader.epoch(manager, OptionalLong.empty(), 0)) {
            batches.next().close();
            UncheckedIOException e = assertThrows(UncheckedIOException.class, batches::next);
            assertTrue(e.getMessage().contains("sample 6 is unreadable"), e.getMessage());
        }
    }

    private static List<Integer> read(ParallelBatchLoader loader, NDManager manager, OptionalLong seed, int first) {
        List<Integer> seen = new ArrayList<>();
        try (EpochBatches batches = loader.epoch(manager, seed, first)) {
            while (batches.hasNext()) {
                try (Batch batch = batches.next()) {
                    float[] data = batch.getData().head().toFloatArray();
                    float[] labels = batch.getLabels().head().toFloatArray();
                    for (int i = 0; i < data.length; i++) {
                        assertEquals(10 * data[i], labels[i]);
                        assertEquals((int) data[i], batch.getIndices().get(i));
                        seen.add((int) data[i]);
                    }
                }
            }
        }
        return seen;
    }

    /** Eight samples; number 6 cannot be read. */
    private static final class Failing extends RandomAccessDataset {
        Failing() {
            super(new Builder().setSampling(1, false));
        }

        @Override
        public Record get(NDManager manager, long index) throws IOException {
            if (index == 6) {
                throw new IOException("sample 6 is unreadable");
            }
            return new Record(new ai.djl.ndarray.NDList(manager.create(new float[] {index})),
                    new ai.djl.ndarray.NDList(manager.create(0f)));
        }

        @Override
        protected long availableSize() {
            return 8;
        }

        @Override
        public void prepare(Progress progress) {
        }

        private static final class Builder extends BaseBuilder<Builder> {
            @Override
            protected Builder self() {
                return this;
            }
        }
    }
}
