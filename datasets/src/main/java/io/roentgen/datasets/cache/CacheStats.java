package io.roentgen.datasets.cache;

/**
 * Counters of a {@link TensorCache} since it was opened.
 *
 * @param hits lookups answered from disk
 * @param misses lookups with no usable entry (absent, stale key or damaged)
 * @param damaged the misses where an entry file existed but failed its checks
 * @param writes entries written
 */
public record CacheStats(long hits, long misses, long damaged, long writes) {
    /** Hits as a share of lookups, 0 before the first lookup. */
    public double hitRate() {
        long lookups = hits + misses;
        return lookups == 0 ? 0 : (double) hits / lookups;
    }
}
