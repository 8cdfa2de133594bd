import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * How fast each route copies a file's tail (its Pixel Data) into a new file, as `roentgen deid`
 * writes its outputs: a small header write, then the rest of the source file by
 *   sendfile   FileChannel.transferTo from the source file (what DicomWriter does since issue 20)
 *   mmap       a write(2) from a read-only mapping of the source (what it did before)
 *   readwrite  a read(2) of the whole tail into a direct buffer and a write(2) from it (gdcmanon's
 *              route: read, writev)
 *   chunked    the same in 256 KiB pieces through one reused direct buffer
 * Each round runs every route once, in turn, on new output files (sync first; the outputs are
 * deleted after). Prints wall and thread-CPU milliseconds per route and round.
 *
 *   java benchmarks/scripts/PixelCopyRoutes.java DIR [rounds] [header-bytes]
 * DIR: a folder of DICOM files, e.g. $TMPDIR/roentgen-deid-bench-200x512/in from deid-vs-gdcmanon.sh.
 */
public final class PixelCopyRoutes {
    private static final int CHUNK = 256 << 10;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int header = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        ByteBuffer direct = ByteBuffer.allocateDirect((int) Math.min(Integer.MAX_VALUE, maxSize(files)));
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 1; round <= rounds; round++) {
            for (String route : new String[] {"sendfile", "mmap", "readwrite", "chunked"}) {
                Path out = Files.createTempDirectory("pixel-copy-" + route);
                run("sync");
                long cpu = threads.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                for (Path f : files) {
                    copy(route, f, out.resolve(f.getFileName()), header, direct);
                }
                System.out.printf("round %d %-9s %7.0f ms wall %7.0f ms cpu%n", round, route,
                        (System.nanoTime() - wall) / 1e6, (threads.getCurrentThreadCpuTime() - cpu) / 1e6);
                run("rm", "-rf", out.toString());
            }
        }
    }

    private static void copy(String route, Path from, Path to, int header, ByteBuffer direct) throws IOException {
        try (FileChannel in = FileChannel.open(from);
                FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long n = in.size() - header;
            out.write(ByteBuffer.wrap(new byte[header - 100])); // the rewritten header, a little shorter
            switch (route) {
                case "sendfile" -> {
                    for (long done = 0; done < n; ) {
                        done += in.transferTo(header + done, n - done, out);
                    }
                }
                case "mmap" -> {
                    MappedByteBuffer m = in.map(FileChannel.MapMode.READ_ONLY, header, n);
                    while (m.hasRemaining()) {
                        out.write(m);
                    }
                }
                case "chunked" -> {
                    for (long done = 0; done < n; ) {
                        direct.clear().limit((int) Math.min(CHUNK, n - done));
                        int r = in.read(direct, header + done);
                        if (r <= 0) {
                            break;
                        }
                        direct.flip();
                        while (direct.hasRemaining()) {
                            out.write(direct);
                        }
                        done += r;
                    }
                }
                default -> {
                    direct.clear().limit((int) n);
                    while (direct.hasRemaining() && in.read(direct, header + direct.position()) > 0) { }
                    direct.flip();
                    while (direct.hasRemaining()) {
                        out.write(direct);
                    }
                }
            }
        }
    }

    private static long maxSize(List<Path> files) throws IOException {
        long max = 1;
        for (Path f : files) {
            max = Math.max(max, Files.size(f));
        }
        return max;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        new ProcessBuilder(command).inheritIO().start().waitFor();
    }
}
