package io.roentgen.dicom;

/**
 * What a read accepts before it gives up with a {@link DicomException} that names the limit: the
 * reader faces the network, so no length field, nesting or compression ratio may make it allocate
 * or loop without bound. {@link DicomReader.Builder} sets them one by one; {@link #DEFAULTS}
 * holds for {@link DicomReader#defaults()}.
 *
 * @param maxDepth         deepest sequence nesting (a top-level sequence is depth 1)
 * @param maxItems         sequence items in one read, all levels together
 * @param maxBytes         largest input (file, stream, inflated data set), at most about 2 GiB
 * @param maxValueLength   largest defined length of one element value or fragment, checked when
 *                         the header is read, before any of the value is
 * @param maxInflatedBytes largest inflated data set of a deflated transfer syntax
 * @param maxInflateRatio  largest inflated-to-deflated size ratio past the first
 *                         {@link #INFLATE_RATIO_ALLOWANCE} bytes, against deflate bombs
 */
public record Limits(int maxDepth, int maxItems, long maxBytes, long maxValueLength, long maxInflatedBytes,
                     int maxInflateRatio) {
    /** The largest array a JVM allocates, and so the largest input and value. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    /** Inflated bytes allowed whatever the compression ratio (a blank image deflates more than 64:1). */
    public static final long INFLATE_RATIO_ALLOWANCE = 16L << 20;

    /** The largest defined length a length field can hold: no limit but the input size. */
    public static final long NO_VALUE_LENGTH_LIMIT = 0xFFFFFFFEL;

    /** 64 levels, a million items, 2 GiB in, any value length, 1 GiB inflated at 64:1. */
    public static final Limits DEFAULTS = new Limits(64, 1_000_000, MAX_ARRAY, NO_VALUE_LENGTH_LIMIT, 1L << 30, 64);

    public Limits {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        if (maxValueLength < 0) {
            throw new IllegalArgumentException("maxValueLength must not be negative");
        }
        maxBytes = Math.min(maxBytes, MAX_ARRAY);
    }
}
