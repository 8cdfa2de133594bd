package io.roentgen.spark;

import io.roentgen.engine.RoentgenException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} arguments of a job's main class. Jobs run under spark-submit, which
 * passes everything after the jar through, so they take no picocli (kept out of this jar).
 */
final class JobArgs {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private JobArgs() {}

    static JobArgs parse(String[] args, Set<String> known) throws RoentgenException {
        JobArgs parsed = new JobArgs();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!known.contains(name)) {
                throw RoentgenException.usage("unknown argument '" + name + "'; known: " + known);
            }
            if (i + 1 == args.length) {
                throw RoentgenException.usage(name + " needs a value");
            }
            parsed.values.computeIfAbsent(name, k -> new ArrayList<>()).add(args[++i]);
        }
        return parsed;
    }

    String required(String name) throws RoentgenException {
        String v = optional(name, null);
        if (v == null) {
            throw RoentgenException.usage(name + " is required");
        }
        return v;
    }

    String optional(String name, String fallback) {
        List<String> v = values.get(name);
        return v == null ? fallback : v.get(v.size() - 1);
    }

    /** Every value of a repeatable argument, each also split at commas. */
    List<String> all(String name) {
        List<String> out = new ArrayList<>();
        for (String v : values.getOrDefault(name, List.of())) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    int integer(String name, int fallback) throws RoentgenException {
        String v = optional(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw RoentgenException.usage(name + " must be a whole number, not '" + v + "'");
        }
    }
}
