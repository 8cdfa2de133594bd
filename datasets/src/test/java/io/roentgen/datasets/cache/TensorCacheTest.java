package io.roentgen.datasets.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.image.PreprocessingSpec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorCacheTest {
    private static final String SPEC = PreprocessingSpec.standard(64, 1).toJson();

    @TempDir
    Path dir;

    private Path source(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static FloatImage tensor(long seed, int channels, int height, int width) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] data = new float[channels * height * width];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (random.nextGaussian() * 3);
        }
        return new FloatImage(data, channels, height, width);
    }

    private static float[] halfRounded(float[] values) {
        float[] rounded = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            rounded[i] = Float16.toFloat(Float16.fromFloat(values[i]));
        }
        return rounded;
    }

    private List<Path> entryFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("cache"))) {
            return files.filter(f -> f.toString().endsWith(".f16")).toList();
        }
    }

    @Test
    void roundTripGivesTheHalfRoundedTensor() throws Exception {
        TensorCache cache = TensorCache.open(dir.resolve("cache"), SPEC);
        Path source = source("a.dcm", "pixels");
        FloatImage tensor = tensor(1, 3, 17, 23);
        assertTrue(cache.get(source).isEmpty());
        cache.put(source, tensor);
        FloatImage back = cache.get(source).orElseThrow();
        assertEquals(List.of(3, 17, 23), List.of(back.channels(), back.height(), back.width()));
        assertArrayEquals(halfRounded(tensor.data()), back.data(), 0f);
        assertEquals(new CacheStats(1, 1, 0, 1), cache.stats());
        assertEquals(0.5, cache.stats().hitRate());
        assertEquals(SPEC, Files.readString(cache.folder().resolve("spec.json")));
        long payload = 2L * 3 * 17 * 23;
        long size = Files.size(entryFiles().get(0));
        assertTrue(size > payload && size < payload + 24 + 1000, "a short header plus two bytes a sample: " + size);
    }

    @Test
    void changedSpecMissesAndKeepsTheOtherSpecsEntries() throws Exception {
        Path source = source("a.dcm", "pixels");
        TensorCache first = TensorCache.open(dir.resolve("cache"), SPEC);
        first.put(source, tensor(2, 1, 4, 4));
        TensorCache other = TensorCache.open(dir.resolve("cache"), PreprocessingSpec.standard(32, 1).toJson());
        assertNotEquals(first.folder(), other.folder());
        assertTrue(other.get(source).isEmpty());
        assertTrue(TensorCache.open(dir.resolve("cache"), SPEC).get(source).isPresent());
    }

    @Test
    void changedSourceTimeOrSizeMisses() throws Exception {
        Path source = source("a.dcm", "pixels");
        FileTime time = FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(source, time);
        TensorCache cache = TensorCache.open(dir.resolve("cache"), SPEC);
        cache.put(source, tensor(3, 1, 4, 4));
        assertTrue(cache.get(source).isPresent());

        Files.setLastModifiedTime(source, FileTime.fromMillis(1_700_000_000_001L));
        assertTrue(cache.get(source).isEmpty(), "touched");
        Files.setLastModifiedTime(source, time);
        assertTrue(cache.get(source).isPresent(), "back to the cached state");

        Files.writeString(source, "pixels!");
        Files.setLastModifiedTime(source, time);
        assertTrue(cache.get(source).isEmpty(), "same time, other size");
    }

    @Test
    void truncatedOrDamagedEntriesAreMisses() throws Exception {
        Path source = source("a.dcm", "pixels");
        TensorCache cache = TensorCache.open(dir.resolve("cache"), SPEC);
        FloatImage tensor = tensor(4, 2, 8, 8);
        cache.put(source, tensor);
        Path entry = entryFiles().get(0);
        long size = Files.size(entry);

        for (long cut : new long[] {size - 1, size - 2, size / 2, 30, 3, 0}) {
            cache.put(source, tensor);
            try (FileChannel channel = FileChannel.open(entry, StandardOpenOption.WRITE)) {
                channel.truncate(cut);
            }
            assertTrue(cache.get(source).isEmpty(), "truncated to " + cut);
        }
        cache.put(source, tensor);
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length - 5] ^= 0x10;
        Files.write(entry, bytes);
        assertTrue(cache.get(source).isEmpty(), "flipped payload bit");
        bytes[bytes.length - 5] ^= 0x10;
        Files.write(entry, bytes);
        Files.write(entry, new byte[] {1, 2}, StandardOpenOption.APPEND);
        assertTrue(cache.get(source).isEmpty(), "trailing bytes");

        cache.put(source, tensor);
        assertArrayEquals(halfRounded(tensor.data()), cache.get(source).orElseThrow().data(), 0f);
        assertEquals(8, cache.stats().damaged());
    }

    @Test
    void getOrComputeComputesOnlyOnAMiss() throws Exception {
        Path source = source("a.dcm", "pixels");
        TensorCache cache = TensorCache.open(dir.resolve("cache"), SPEC);
        AtomicInteger computed = new AtomicInteger();
        FloatImage tensor = tensor(5, 1, 3, 3);
        FloatImage first = cache.getOrCompute(source, () -> {
            computed.incrementAndGet();
            return tensor;
        });
        assertSame(tensor, first);
        FloatImage second = cache.getOrCompute(source, () -> {
            computed.incrementAndGet();
            return tensor;
        });
        assertEquals(1, computed.get());
        assertArrayEquals(halfRounded(tensor.data()), second.data(), 0f);
        assertEquals(new CacheStats(1, 1, 0, 1), cache.stats());
    }

    @Test
    void concurrentReadersAndWritersOnlyEverSeeWholeEntries() throws Exception {
        int sources = 12;
        List<Path> files = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int i = 0; i < sources; i++) {
            files.add(source("s" + i + ".dcm", "image " + i));
            expected.add(halfRounded(tensor(100 + i, 1, 32, 32).data()));
        }
        TensorCache cache = TensorCache.open(dir.resolve("cache"), SPEC);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> workers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int worker = w;
                workers.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(worker);
                    int checked = 0;
                    for (int op = 0; op < 300; op++) {
                        int i = random.nextInt(sources);
                        if (random.nextInt(4) == 0) {
                            cache.put(files.get(i), tensor(100 + i, 1, 32, 32)); // rewrites race with reads
                        }
                        FloatImage got = cache.getOrCompute(files.get(i), () -> tensor(100 + i, 1, 32, 32));
                        assertArrayEquals(expected.get(i), halfRounded(got.data()), 0f);
                        Optional<FloatImage> read = cache.get(files.get(i));
                        if (read.isPresent()) {
                            assertArrayEquals(expected.get(i), read.get().data(), 0f);
                            checked++;
                        }
                    }
                    return checked;
                }));
            }
            int checked = 0;
            for (Future<Integer> worker : workers) {
                checked += worker.get();
            }
            assertEquals(8 * 300, checked, "every entry read after it was written");
        } finally {
            pool.shutdownNow();
        }
        CacheStats stats = cache.stats();
        assertEquals(8 * 300 * 2, stats.hits() + stats.misses());
        assertEquals(0, stats.damaged());
        assertEquals(sources, entryFiles().size());
        try (Stream<Path> all = Files.walk(dir.resolve("cache"))) {
            assertFalse(all.anyMatch(f -> f.toString().endsWith(".tmp")), "no temporary file left");
        }
    }
}
