package io.roentgen.server.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The strict parser accepts a well-formed exposition and refuses each broken rule on its own. */
class MetricsExpositionTest {
    private static final String GOOD = """
            # HELP req_total Requests.
            # TYPE req_total counter
            req_total{route="/v1/models/{model}/classify",status="200"} 3.0
            req_total{route="/a\\\\b \\"q\\"",status="500"} 1.0
            # HELP lat_seconds Latency.
            # TYPE lat_seconds histogram
            lat_seconds_bucket{le="0.1"} 1
            lat_seconds_bucket{le="1.0"} 2
            lat_seconds_bucket{le="+Inf"} 3
            lat_seconds_count 3
            lat_seconds_sum 4.5
            # HELP mem_bytes Memory.
            # TYPE mem_bytes gauge
            mem_bytes 1.073741824E9
            """;

    @Test
    void readsAWellFormedExposition() {
        MetricsExposition e = MetricsExposition.parseText(GOOD);
        assertEquals(3.0, e.value("req_total", "route", "/v1/models/{model}/classify", "status", "200"));
        assertEquals(1.0, e.value("req_total", "route", "/a\\b \"q\"", "status", "500"));
        assertEquals(1 << 30, e.value("mem_bytes"));
        assertEquals("histogram", e.families().get("lat_seconds").type());
        assertEquals("Latency.", e.help("lat_seconds"));
    }

    @Test
    void openMetricsNamesCountersWithoutTotalAndEndsInEof() {
        String om = """
                # TYPE req counter
                # HELP req Requests.
                req_total 3.0
                # EOF
                """;
        assertEquals(3.0, MetricsExposition.parseOpenMetrics(om).value("req_total"));
        assertThrows(IllegalArgumentException.class, () -> MetricsExposition.parseOpenMetrics(om.replace("# EOF\n", "")));
        assertThrows(IllegalArgumentException.class, () -> MetricsExposition.parseText(om), "a text counter is named as sampled");
    }

    /** Each case breaks one rule of {@link #GOOD}: the text replaced, its replacement, and the rule. */
    static Stream<Arguments> brokenRules() {
        String sample = "mem_bytes 1.073741824E9";
        return Stream.of(
                Arguments.of(sample, sample + "\nmem_bytes 2", "the same series twice"),
                Arguments.of("le=\"1.0\"} 2", "le=\"0.05\"} 2", "le not ascending"),
                Arguments.of("le=\"1.0\"} 2", "le=\"1.0\"} 0", "counts not cumulative"),
                Arguments.of("lat_seconds_count 3", "lat_seconds_count 4", "+Inf differs from _count"),
                Arguments.of("lat_seconds_bucket{le=\"+Inf\"} 3\n", "", "no +Inf bucket"),
                Arguments.of("# TYPE mem_bytes gauge\n", "", "no TYPE"),
                Arguments.of("# HELP mem_bytes Memory.\n", "", "no HELP"),
                Arguments.of("# TYPE mem_bytes gauge", "# TYPE mem_bytes gauge\n# TYPE mem_bytes gauge", "TYPE twice"),
                Arguments.of(sample, sample + "\n# HELP mem_bytes Again.", "metadata after the samples"),
                Arguments.of(sample, sample + "\nreq_total{status=\"201\"} 1", "a family in two blocks"),
                Arguments.of(sample, "mem_bytes 1 2 3", "junk after the timestamp"),
                Arguments.of(sample, "mem_bytes one", "not a number"),
                Arguments.of(sample, "mem_bytes  1", "two spaces"),
                Arguments.of(sample, "mem_bytes{a=\"b\"c=\"d\"} 1", "no comma between labels"),
                Arguments.of(sample, "mem_bytes{a=\"\\x\"} 1", "a bad escape"),
                Arguments.of(sample, "mem_bytes{a=\"b\",a=\"c\"} 1", "a label twice"),
                Arguments.of("status=\"200\"} 3.0", "status=\"200\"} -1", "a counter below zero"),
                Arguments.of("E9\n", "E9", "no final newline"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("brokenRules")
    void refusesEachBrokenRule(String from, String to, String rule) {
        String broken = GOOD.replace(from, to);
        assertNotEquals(GOOD, broken, "the case must change the text: " + rule);
        assertThrows(IllegalArgumentException.class, () -> MetricsExposition.parseText(broken), rule);
    }
}
