package io.roentgen.engine.torch;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The OpenMP helper threads of this process, as Linux shows them. libgomp (the OpenMP runtime of
 * DJL's CPU libtorch) keeps one pool of intra-op helpers per thread that ever ran a parallel
 * region, for the life of that thread, and counts all of them: while the process holds more
 * OpenMP threads than CPUs, its waits between parallel regions sleep instead of spinning, and a
 * batch-1 ResNet-18 pass on 2 cores took 1.7x as long (docs/DECISIONS.md, "One OpenMP pool per
 * serving thread"). libgomp exports no count, so threads are counted from {@code /proc}: a thread
 * that is not running and whose user-space instruction pointer lies in libgomp's code is a
 * helper waiting for work (a master thread is there only while inside a region). Linux gives a
 * new thread its creator's name, so a helper is named after the thread whose pool it serves.
 */
public final class OpenMpThreads {
    private static final Path MAPS = Path.of("/proc/self/maps");
    private static final Path TASKS = Path.of("/proc/self/task");

    private OpenMpThreads() {}

    /**
     * The names (as Linux shows them: the creating thread's name, at most 15 characters) of the
     * threads of this process waiting inside libgomp; empty where that cannot be seen (not Linux,
     * or no libgomp loaded: another OpenMP runtime, or the engine not started).
     */
    public static Optional<List<String>> waitingHelpers() {
        List<long[]> code = libgompCode();
        if (code.isEmpty()) {
            return Optional.empty();
        }
        List<String> helpers = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                long pc = waitingAt(task);
                for (long[] range : code) {
                    if (Long.compareUnsigned(pc, range[0]) >= 0 && Long.compareUnsigned(pc, range[1]) < 0) {
                        helpers.add(name(task));
                        break;
                    }
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(helpers);
    }

    private static String name(Path task) {
        try {
            return Files.readString(task.resolve("comm")).strip();
        } catch (IOException e) {
            return ""; // the thread ended meanwhile
        }
    }

    /** The executable mappings of a libgomp, as [start, end) pairs. */
    private static List<long[]> libgompCode() {
        List<long[]> ranges = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(MAPS)) {
                // 7f83f4c3c000-7f83f4c5d000 r-xp 00002000 fd:01 123 /path/libgomp-98b21ff3.so.1
                String[] f = line.trim().split("\\s+");
                if (f.length >= 6 && f[1].contains("x") && f[5].contains("/libgomp")) {
                    String[] bounds = f[0].split("-");
                    ranges.add(new long[] {Long.parseUnsignedLong(bounds[0], 16), Long.parseUnsignedLong(bounds[1], 16)});
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of(); // no /proc (not Linux), or a format we do not know: cannot tell
        }
        return ranges;
    }

    /**
     * Where a thread waits: the last field of {@code /proc/self/task/TID/syscall} ("NR args... sp
     * pc" in a system call, "-1 sp pc" when blocked otherwise); 0 while it runs or is gone.
     */
    private static long waitingAt(Path task) {
        try {
            String[] f = Files.readString(task.resolve("syscall")).trim().split("\\s+");
            if (f.length < 3 || !f[f.length - 1].startsWith("0x")) {
                return 0; // "running"
            }
            return Long.parseUnsignedLong(f[f.length - 1].substring(2), 16);
        } catch (IOException | RuntimeException e) {
            return 0; // the thread ended meanwhile
        }
    }
}
