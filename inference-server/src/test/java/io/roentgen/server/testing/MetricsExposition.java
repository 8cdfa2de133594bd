package io.roentgen.server.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text format (0.0.4) and OpenMetrics text (1.0.0), for tests.
 * The Java client ships no parser, so this one follows the exposition format rules that promtool
 * checks and throws {@link IllegalArgumentException} on the first broken one: sample lines are
 * {@code name{labels} value}; every family has {@code # HELP} and {@code # TYPE} before its
 * samples and its samples in one block; no series twice; histogram buckets cumulative, ending in
 * {@code +Inf} equal to {@code _count}; OpenMetrics ends in {@code # EOF}.
 */
public final class MetricsExposition {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern META = Pattern.compile("# (HELP|TYPE|UNIT) (" + NAME.pattern() + ")(?: (.*))?");
    private static final Pattern VALUE = Pattern.compile("[+-]?(?:\\d+\\.?\\d*(?:[eE][+-]?\\d+)?|\\.\\d+(?:[eE][+-]?\\d+)?|Inf)|NaN");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped", "unknown",
            "info", "stateset", "gaugehistogram");

    /** One metric family as its {@code # TYPE} line declares it. */
    public record Family(String name, String type) {}

    /** One sample line. {@code labels} are sorted by name. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final boolean openMetrics;
    private final Map<String, Family> families = new LinkedHashMap<>();
    private final Map<String, String> help = new TreeMap<>();
    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, List<Sample>> samplesByFamily = new LinkedHashMap<>();
    private final Set<String> closedFamilies = new HashSet<>();
    private String currentFamily;

    private MetricsExposition(boolean openMetrics) {
        this.openMetrics = openMetrics;
    }

    /** Parses the Prometheus text format, version 0.0.4. */
    public static MetricsExposition parseText(String body) {
        return new MetricsExposition(false).parse(body);
    }

    /** Parses OpenMetrics text, version 1.0.0: counters are declared without {@code _total}, and it ends in {@code # EOF}. */
    public static MetricsExposition parseOpenMetrics(String body) {
        return new MetricsExposition(true).parse(body);
    }

    public Map<String, Family> families() {
        return families;
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The {@code # HELP} text of a family. */
    public String help(String family) {
        return help.get(family);
    }

    /** The value of the one series with exactly these labels ({@code "k", "v", ...}); fails when absent. */
    public double value(String name, String... labelPairs) {
        Map<String, String> wanted = new TreeMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            wanted.put(labelPairs[i], labelPairs[i + 1]);
        }
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(wanted)).findFirst()
                .orElseThrow(() -> new AssertionError("no series " + name + wanted)).value();
    }

    /** Every series of a sample name, in exposition order. */
    public List<Sample> series(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    private MetricsExposition parse(String body) {
        if (!body.endsWith("\n")) {
            throw broken("the body must end in a newline", body.substring(Math.max(0, body.length() - 40)));
        }
        String[] lines = body.split("\n", -1);
        int end = lines.length - 1; // the empty string after the last newline
        if (openMetrics) {
            if (end == 0 || !lines[end - 1].equals("# EOF")) {
                throw broken("OpenMetrics must end in '# EOF'", end == 0 ? "" : lines[end - 1]);
            }
            end--;
        }
        Set<String> series = new HashSet<>();
        for (int i = 0; i < end; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                if (openMetrics) {
                    throw broken("OpenMetrics has no blank lines", "line " + (i + 1));
                }
            } else if (line.startsWith("#")) {
                metadata(line);
            } else {
                Sample s = sample(line);
                if (!series.add(s.name() + s.labels())) {
                    throw broken("duplicate series", line);
                }
            }
        }
        checkFamilies();
        return this;
    }

    private void metadata(String line) {
        Matcher m = META.matcher(line);
        if (!m.matches()) {
            if (openMetrics || line.startsWith("# HELP") || line.startsWith("# TYPE")) {
                throw broken("malformed metadata", line);
            }
            return; // a plain comment, which the text format allows
        }
        String kind = m.group(1);
        String name = m.group(2);
        String text = m.group(3) == null ? "" : m.group(3);
        if (kind.equals("UNIT") && !openMetrics) {
            throw broken("UNIT is OpenMetrics only", line);
        }
        if (samplesByFamily.containsKey(name)) {
            throw broken("metadata after the family's samples", line);
        }
        switch (kind) {
            case "HELP" -> {
                if (help.put(name, text) != null) {
                    throw broken("second HELP", line);
                }
            }
            case "TYPE" -> {
                if (!TYPES.contains(text) || (!openMetrics && !Set.of("counter", "gauge", "histogram", "summary", "untyped")
                        .contains(text))) {
                    throw broken("unknown type", line);
                }
                if (families.containsKey(name)) {
                    throw broken("second TYPE", line);
                }
                families.put(name, new Family(name, text));
            }
            default -> { }
        }
    }

    private Sample sample(String line) {
        Matcher name = NAME.matcher(line);
        if (!name.lookingAt()) {
            throw broken("a sample starts with a metric name", line);
        }
        int at = name.end();
        Map<String, String> labels = new TreeMap<>();
        if (at < line.length() && line.charAt(at) == '{') {
            at = labels(line, at + 1, labels);
        }
        if (at >= line.length() || line.charAt(at) != ' ') {
            throw broken("one space before the value", line);
        }
        String[] rest = line.substring(at + 1).split(" ", -1);
        if (rest.length > 2 || !VALUE.matcher(rest[0]).matches()
                || (rest.length == 2 && !VALUE.matcher(rest[1]).matches())) {
            throw broken("value [timestamp] expected (and no exemplars)", line);
        }
        Sample s = new Sample(name.group(), labels, number(rest[0]));
        String family = familyOf(s.name(), line);
        if (!family.equals(currentFamily)) {
            if (!closedFamilies.add(family)) {
                throw broken("the family's samples are not in one block", line);
            }
            currentFamily = family;
        }
        samples.add(s);
        samplesByFamily.computeIfAbsent(family, f -> new ArrayList<>()).add(s);
        return s;
    }

    /** Reads {@code k="v",...}} from {@code at}; returns the index after the closing brace. */
    private static int labels(String line, int at, Map<String, String> into) {
        while (true) {
            if (at < line.length() && line.charAt(at) == '}') {
                return at + 1;
            }
            Matcher key = LABEL_NAME.matcher(line).region(at, line.length());
            if (!key.lookingAt() || key.end() + 1 >= line.length() || line.charAt(key.end()) != '='
                    || line.charAt(key.end() + 1) != '"') {
                throw broken("label name=\"value\" expected", line);
            }
            StringBuilder value = new StringBuilder();
            int i = key.end() + 2;
            for (; i < line.length() && line.charAt(i) != '"'; i++) {
                char c = line.charAt(i);
                if (c == '\\') {
                    char next = i + 1 < line.length() ? line.charAt(++i) : ' ';
                    switch (next) {
                        case '\\' -> value.append('\\');
                        case '"' -> value.append('"');
                        case 'n' -> value.append('\n');
                        default -> throw broken("bad escape in a label value", line);
                    }
                } else {
                    value.append(c);
                }
            }
            if (i >= line.length()) {
                throw broken("unterminated label value", line);
            }
            if (into.put(key.group(), value.toString()) != null) {
                throw broken("label twice", line);
            }
            at = i + 1;
            if (at < line.length() && line.charAt(at) == ',') {
                at++;
            } else if (at >= line.length() || line.charAt(at) != '}') {
                throw broken("',' or '}' expected after a label", line);
            }
        }
    }

    /** The declared family a sample belongs to, by the suffixes its type allows; fails when none declares it. */
    private String familyOf(String sample, String line) {
        for (Family f : families.values()) {
            for (String suffix : suffixes(f.type())) {
                if (sample.equals(f.name() + suffix)) {
                    return f.name();
                }
            }
        }
        throw broken("no # TYPE before this sample", line);
    }

    private List<String> suffixes(String type) {
        return switch (type) {
            case "histogram", "gaugehistogram" -> openMetrics
                    ? List.of("_bucket", "_count", "_sum", "_created", "_gcount", "_gsum")
                    : List.of("_bucket", "_count", "_sum");
            case "summary" -> openMetrics ? List.of("", "_count", "_sum", "_created") : List.of("", "_count", "_sum");
            case "counter" -> openMetrics ? List.of("_total", "_created") : List.of("");
            case "info" -> List.of("_info");
            default -> List.of("");
        };
    }

    private void checkFamilies() {
        for (Family f : families.values()) {
            if (!help.containsKey(f.name())) {
                throw broken("no # HELP", f.name());
            }
            List<Sample> own = samplesByFamily.getOrDefault(f.name(), List.of());
            if (f.type().equals("counter")) {
                own.stream().filter(s -> s.value() < 0 || Double.isNaN(s.value())).findFirst().ifPresent(s -> {
                    throw broken("a counter below zero", s.toString());
                });
            }
            if (f.type().equals("histogram")) {
                checkHistogram(f.name(), own);
            }
        }
        for (String named : help.keySet()) {
            if (!families.containsKey(named)) {
                throw broken("HELP without TYPE", named);
            }
        }
    }

    /** Per label set: {@code le} ascending, counts cumulative, the last bucket {@code +Inf} and equal to {@code _count}. */
    private static void checkHistogram(String name, List<Sample> own) {
        Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        for (Sample s : own) {
            if (s.name().equals(name + "_bucket")) {
                Map<String, String> rest = new TreeMap<>(s.labels());
                if (rest.remove("le") == null) {
                    throw broken("a bucket without le", s.toString());
                }
                buckets.computeIfAbsent(rest, k -> new ArrayList<>()).add(s);
            } else if (s.name().equals(name + "_count")) {
                counts.put(s.labels(), s.value());
            }
        }
        if (!buckets.keySet().equals(counts.keySet())) {
            throw broken("buckets and _count disagree on the series", name);
        }
        buckets.forEach((labels, list) -> {
            double previousLe = Double.NEGATIVE_INFINITY;
            double previousCount = 0;
            for (Sample b : list) {
                double le = number(b.labels().get("le"));
                if (le <= previousLe || b.value() < previousCount) {
                    throw broken("buckets not ascending or not cumulative", b.toString());
                }
                previousLe = le;
                previousCount = b.value();
            }
            Sample last = list.get(list.size() - 1);
            if (!last.labels().get("le").equals("+Inf") || last.value() != counts.get(labels)) {
                throw broken("the last bucket must be +Inf and equal _count", last.toString());
            }
        });
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    private static IllegalArgumentException broken(String rule, String where) {
        return new IllegalArgumentException(rule + ": " + where);
    }
}
