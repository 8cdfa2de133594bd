package io.roentgen.dicom;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A whole file into an exactly sized array, by the fastest route for its size (and the helpers
 * {@link DicomReader} needs to parse a mapped file).
 *
 * <p>{@code Files.readAllBytes} (and any {@code FileChannel.read} into a heap array) goes through a
 * temporary direct buffer: two copies of every byte. For large files (radiographs, multi-frame)
 * the file is instead memory-mapped read-only and copied once into the array, then unmapped at
 * once, so no mapping outlives the call (nothing can fault on it later, and mappings do not pile
 * up waiting for a GC). If the file is truncated while it is copied the JVM turns the fault into
 * an {@link InternalError}, reported here as an {@link IOException}.
 *
 * <p>Files whose Pixel Data {@link DicomReader} keeps as a view of the mapping ({@link Mapped},
 * from {@link #VIEW_THRESHOLD} on) are not read here: that mapping lives as long as the data set
 * refers to it, and the GC unmaps it.
 */
final class FileBytes {
    /** Below this a plain read is as fast and costs no mmap/munmap system calls. */
    static final long MAP_THRESHOLD = 1 << 20;

    /**
     * From this size on {@link DicomReader} keeps native Pixel Data as a view of the file's mapping
     * instead of reading the file into an array: measured (JDK 17, page cache, 16-bit frames) a
     * third faster for 256 KiB to 8 MiB files, slower for 128 KiB ones (the mmap and munmap cost
     * more than reading the few bytes saves).
     */
    static final long VIEW_THRESHOLD = 256 << 10;

    /**
     * Mappings kept alive as Pixel Data views at most at once. Views are unmapped by the GC, and a
     * loop that makes little garbage (frames decoded into a {@link io.roentgen.dicom.pixel.FramePool})
     * runs no GC for tens of thousands of files: the mappings then pile up (12,000 after two seconds
     * of decoding on two threads), every mmap, munmap and page fault slows down on the process's
     * memory-map lock, and at vm.max_map_count (65,530) mapping fails. Past this bound files are
     * read into arrays, whose garbage brings the next GC, which frees the views.
     */
    static final int MAX_LIVE_VIEWS = 1024;

    private static final Unmapper UNMAPPER = Unmapper.find();
    private static final AtomicInteger LIVE_VIEWS = new AtomicInteger();
    private static final Cleaner VIEW_RELEASES = Cleaner.create();

    private FileBytes() {}

    static byte[] read(Path file, long maxBytes) throws IOException, DicomException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(channel, file, maxBytes);
        }
    }

    /** The whole file open in {@code channel} (from its start; {@code file} names it in messages). */
    static byte[] read(FileChannel channel, Path file, long maxBytes) throws IOException, DicomException {
        long size = channel.size();
        if (size == 0) {
            return readUnsized(channel, maxBytes); // a pipe, /dev/stdin, a procfs file: no size known
        }
        if (size > maxBytes) {
            throw new DicomException("file is " + size + " bytes, larger than the reader's limit of " + maxBytes + " bytes");
        }
        byte[] bytes = new byte[(int) size];
        if (size >= MAP_THRESHOLD) {
            copyMapped(channel, file, bytes);
        } else {
            readFully(channel, file, bytes);
        }
        return bytes;
    }

    /**
     * A value that is a view of a mapped file, and how to tell whether the file still holds it.
     * A fault on a mapping (the file truncated after it was mapped) is not reliably catchable:
     * the JVM throws it as an {@link InternalError} at some later point of the thread when the
     * copy ran in compiled code. So readers check first: the file (the same one, by its file key)
     * must still be long enough; a file replaced by another (a rename) leaves the mapping intact.
     */
    record Mapped(ByteBuffer bytes, Path file, Object fileKey, long end) {
        void checkReadable() throws IOException {
            BasicFileAttributes now;
            try {
                now = Files.readAttributes(file, BasicFileAttributes.class);
            } catch (IOException e) {
                return; // deleted or unreachable: a deleted file's pages stay valid while mapped
            }
            if (fileKey != null && fileKey.equals(now.fileKey())) {
                checkLength(now);
            }
        }

        private void checkLength(BasicFileAttributes now) throws IOException {
            if (now.size() < end) {
                throw new IOException(file + " was truncated to " + now.size() + " bytes after it was read; its Pixel Data ends at byte " + end);
            }
        }

        /**
         * Appends the value to {@code target} by a kernel copy from the file (sendfile(2), which
         * {@code FileChannel.transferTo} uses between files), not from the mapping: a write(2) from
         * a mapping copies page by page, stops short at each page not yet mapped, zeroes the rest of
         * the destination page and faults the source in before it goes on. Measured on ext4 (JDK
         * 17, page cache): 1.1-1.7x faster for 512x512 CT and 2048x2048 CR files (docs/DECISIONS.md,
         * entry 112). The value must end where the file ends (as the Pixel Data views
         * {@link DicomReader} keeps do). It checks what {@link #checkReadable} does, with one stat.
         *
         * <p>Returns false, having written nothing, when the file at the path can no longer be
         * shown to be the one that was mapped (replaced, deleted, or a file system without file
         * keys); the caller then writes from the mapping, which still holds the original bytes.
         * The file is opened before it is compared, so a replacement at any moment is caught.
         */
        boolean transferTo(FileChannel target) throws IOException {
            if (fileKey == null) {
                return false;
            }
            long count = bytes.remaining();
            long start = end - count;
            FileChannel source;
            try {
                source = FileChannel.open(file, StandardOpenOption.READ);
            } catch (IOException e) {
                return false;
            }
            try (source) {
                BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class);
                if (!fileKey.equals(now.fileKey())) {
                    return false;
                }
                checkLength(now);
                for (long done = 0; done < count; ) {
                    long n = source.transferTo(start + done, count - done, target);
                    if (n <= 0) {
                        throw new IOException(file + " was truncated after it was read; its Pixel Data ends at byte " + end);
                    }
                    done += n;
                }
                return true;
            }
        }

        /** A copy of {@code n} bytes from {@code start} of the value. */
        byte[] copy(int start, int n) throws IOException {
            checkReadable();
            byte[] b = new byte[n];
            try {
                bytes.get(start, b);
            } catch (InternalError e) {
                throw new IOException(file + " changed while it was read", e);
            }
            return b;
        }
    }

    /** Whether another file may be kept as a view of its mapping now (see {@link #MAX_LIVE_VIEWS}). */
    static boolean mayKeepView() {
        return LIVE_VIEWS.get() < MAX_LIVE_VIEWS;
    }

    /** Counts {@code mapped} as a live view until the GC finds it unreachable. */
    static void keepView(MappedByteBuffer mapped) {
        LIVE_VIEWS.incrementAndGet();
        VIEW_RELEASES.register(mapped, LIVE_VIEWS::decrementAndGet);
    }

    /** Views counted as live now. */
    static int liveViews() {
        return LIVE_VIEWS.get();
    }

    /** Unmaps a mapping nothing refers to any more, at once rather than at some later GC. */
    static void unmap(MappedByteBuffer mapped) {
        UNMAPPER.unmap(mapped);
    }

    /** Reads {@code mapped} from its start, for a {@link ByteSource} that parses the header of a mapped file. */
    static ByteSource.Filler filler(ByteBuffer mapped) {
        return new ByteSource.Filler() {
            private int position;

            @Override
            public int read(byte[] b, int off, int len) {
                int n = Math.min(len, mapped.capacity() - position);
                if (n <= 0) {
                    return -1;
                }
                mapped.get(position, b, off, n);
                position += n;
                return n;
            }
        };
    }

    /** Reads to the end, growing the buffer as bytes arrive, never past the limit. */
    private static byte[] readUnsized(FileChannel channel, long maxBytes) throws IOException, DicomException {
        byte[] bytes = Channels.newInputStream(channel).readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
        if (bytes.length > maxBytes) {
            throw new DicomException("input is larger than the reader's limit of " + maxBytes + " bytes");
        }
        return bytes;
    }

    private static void readFully(FileChannel channel, Path file, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException(file + ": file shrank while being read (" + buffer.position() + " of "
                        + bytes.length + " bytes)");
            }
        }
    }

    private static void copyMapped(FileChannel channel, Path file, byte[] bytes) throws IOException {
        MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, bytes.length);
        try {
            mapped.get(bytes);
        } catch (InternalError e) {
            // A page fault past the end: the file was truncated under us.
            throw new IOException(file + ": file changed while being read", e);
        } finally {
            UNMAPPER.unmap(mapped);
        }
    }

    /** sun.misc.Unsafe#invokeCleaner (jdk.unsupported) when available; otherwise the GC unmaps. */
    private interface Unmapper {
        void unmap(MappedByteBuffer buffer);

        static Unmapper find() {
            try {
                Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
                Field field = unsafeClass.getDeclaredField("theUnsafe");
                field.setAccessible(true);
                Object unsafe = field.get(null);
                java.lang.reflect.Method invokeCleaner = unsafeClass.getMethod("invokeCleaner", ByteBuffer.class);
                return buffer -> {
                    try {
                        invokeCleaner.invoke(unsafe, buffer);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        // leave it to the GC
                    }
                };
            } catch (ReflectiveOperationException | RuntimeException e) {
                return buffer -> { };
            }
        }
    }
}
