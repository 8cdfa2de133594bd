package io.roentgen.server.batching;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The batch sizes a batcher's forward passes run at. Without preferred sizes a batch runs at
 * however many requests it holds (1 to max). With preferred sizes (Triton's
 * {@code preferred_batch_size}) a batch is padded up to the smallest of them, or the max batch
 * size, that holds it: the model then only ever sees those shapes, so only those need warming.
 */
public final class BatchSizes {
    private final int max;
    private final List<Integer> preferred;
    private final int[] padded; // ascending; the sizes forward passes run at when padding

    private BatchSizes(int max, List<Integer> preferred) {
        this.max = max;
        this.preferred = List.copyOf(preferred);
        TreeSet<Integer> sizes = new TreeSet<>(preferred);
        sizes.add(max);
        this.padded = sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Every size from 1 to {@code max}, no padding. */
    public static BatchSizes upTo(int max) {
        return of(max, List.of());
    }

    /**
     * @param preferred strictly ascending sizes from 1 to {@code max}; empty for no padding
     * @throws IllegalArgumentException naming what is wrong
     */
    public static BatchSizes of(int max, List<Integer> preferred) {
        String problem = problem(max, preferred);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new BatchSizes(max, preferred);
    }

    /** What is wrong with these settings, or null when they are fine. */
    public static String problem(int max, List<Integer> preferred) {
        if (max < 1) {
            return "max batch size >= 1, got " + max;
        }
        for (int i = 0; i < preferred.size(); i++) {
            int size = preferred.get(i);
            if (size < 1 || size > max) {
                return "preferred batch sizes from 1 to the max batch size " + max + ", got " + size;
            }
            if (i > 0 && size <= preferred.get(i - 1)) {
                return "preferred batch sizes in ascending order without repeats, got " + preferred;
            }
        }
        return null;
    }

    public int max() {
        return max;
    }

    public List<Integer> preferred() {
        return preferred;
    }

    public boolean pads() {
        return !preferred.isEmpty();
    }

    /** The size a forward pass over {@code requests} images runs at. */
    public int forwardSize(int requests) {
        if (requests < 1 || requests > max) {
            throw new IllegalArgumentException("a batch holds 1 to " + max + " images, got " + requests);
        }
        if (!pads()) {
            return requests;
        }
        for (int size : padded) {
            if (size >= requests) {
                return size;
            }
        }
        return max; // unreachable: max is always in padded
    }

    /** Every size a forward pass can run at, ascending: what warming up at load must cover. */
    public List<Integer> shapesToWarm() {
        List<Integer> sizes = new ArrayList<>();
        if (pads()) {
            for (int size : padded) {
                sizes.add(size);
            }
        } else {
            for (int size = 1; size <= max; size++) {
                sizes.add(size);
            }
        }
        return sizes;
    }

    @Override
    public String toString() {
        return pads() ? "max " + max + ", padded to " + shapesToWarm() : "max " + max + ", unpadded";
    }
}
