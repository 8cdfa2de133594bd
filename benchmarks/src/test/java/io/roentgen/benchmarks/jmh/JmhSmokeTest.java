package io.roentgen.benchmarks.jmh;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JMH harness is generated and runs: one benchmark, in this JVM, one short iteration. The
 * figure means nothing here (see BENCHMARKS.md); only that a positive score comes back.
 */
class JmhSmokeTest {
    @Test
    void oneBenchmarkRunsThroughTheGeneratedHarness() throws RunnerException {
        Options options = new OptionsBuilder()
                .include(PixelBenchmarks.class.getName() + ".resizeTo224")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(200))
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        assertEquals(1, results.size());
        double score = results.iterator().next().getPrimaryResult().getScore();
        assertTrue(score > 0 && Double.isFinite(score), "score " + score);
    }
}
