import ai.djl.Device;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.DeviceSpec;
import io.roentgen.engine.Devices;
import io.roentgen.engine.EngineSettings;
import io.roentgen.models.Classifier;
import io.roentgen.models.bundle.ModelBundle;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.*;
import java.util.concurrent.*;

/**
 * Batch-1 latency of a bundle by which thread loaded it and which runs it (docs/DECISIONS.md, "One
 * OpenMP pool per serving thread"). LOADER main: loaded on the main thread, which lives on (as the
 * server main thread did); scratch: on a thread that ends. RUNNER main: passes on the main thread
 * (as bench infer); worker: on a new thread (as a batching worker). Run from the repository root:
 *   source cli/src/main/sh/native-memory.sh; source cli/src/main/sh/cpu-kernels.sh; source cli/src/main/sh/openmp.sh
 *   java -cp cli/target/roentgen.jar:cli/target/native/pytorch-native-cpu.jar \
 *     benchmarks/scripts/OpenMpPoolsProbe.java BUNDLE main|scratch main|worker CALLS
 */
public class OpenMpPoolsProbe {
    static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] a) throws Exception {
        Device device = Devices.select(DeviceSpec.parse("auto"), EngineSettings.fromEnvironment()).get(0);
        Callable<Classifier> load = () -> ModelBundle.load(Path.of(a[0]), device);
        Classifier c;
        if (a[1].equals("scratch")) {
            FutureTask<Classifier> task = new FutureTask<>(load);
            Thread t = new Thread(task, "loader");
            t.start(); t.join();
            c = task.get();
        } else {
            c = load.call();
        }
        int calls = Integer.parseInt(a[3]);
        var card = c.card();
        SplittableRandom r = new SplittableRandom(1);
        float[] d = new float[card.channels() * card.height() * card.width()];
        for (int i = 0; i < d.length; i++) d[i] = (float) r.nextGaussian();
        List<FloatImage> img = List.of(new FloatImage(d, card.channels(), card.height(), card.width()));
        Runnable run = () -> {
            try {
                for (int i = 0; i < 5; i++) c.predict(img);
                double[] ms = new double[calls];
                long p0 = OS.getProcessCpuTime();
                for (int i = 0; i < calls; i++) { long s = System.nanoTime(); c.predict(img); ms[i] = (System.nanoTime() - s) / 1e6; }
                long cpu = OS.getProcessCpuTime() - p0;
                Arrays.sort(ms);
                System.out.printf("loader %s runner %s: p50 %.1f ms, process CPU %.1f ms/call, load %.1f%n", a[1], a[2],
                        ms[calls / 2], cpu / 1e6 / calls, OS.getSystemLoadAverage());
            } catch (Exception e) { throw new RuntimeException(e); }
        };
        if (a[2].equals("worker")) { Thread w = new Thread(run, "worker"); w.start(); w.join(); } else run.run();
    }
}
