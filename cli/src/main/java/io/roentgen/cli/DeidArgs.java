package io.roentgen.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a well-formed {@code roentgen deid} command line without picocli, which reads every
 * command's annotations (one generated proxy class per annotation type) and builds its model
 * before it parses: about 90 ms of CPU, a third of a 20-file run's in-process time
 * (docs/DECISIONS.md, "deid parses its own command line"). Anything else, such as help, a
 * mistake, an unknown or repeated option, {@code --}, an {@code @file}, or a value that looks
 * like an option, returns null and goes to picocli, which then parses, explains and fails as it
 * always did. {@code DeidArgsTest} holds the two parsers to the same result on every option.
 */
final class DeidArgs {
    /** The options that take a value. */
    static final Set<String> VALUED = Set.of("--out", "--key-file", "--profile", "--retain-longitudinal",
            "--burned-in", "--map-out", "--threads");
    /** The options that are flags. */
    static final Set<String> FLAGS = Set.of("--retain-uids", "--retain-device-identity", "--retain-institution-identity",
            "--retain-patient-characteristics", "--clean-descriptors", "--clean-structured-content", "--clean-graphics",
            "--retain-safe-private", "--json", "--verbose");

    private DeidArgs() {}

    /** The command for {@code args} (the words after {@code deid}), or null when picocli must read them. */
    static DeidCommand parse(List<String> args) {
        try {
            return parseOrNull(args);
        } catch (java.nio.file.InvalidPathException e) {
            return null; // picocli reports the path it cannot convert
        }
    }

    private static DeidCommand parseOrNull(List<String> args) {
        DeidCommand c = new DeidCommand();
        c.inputs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.isEmpty() || a.charAt(0) == '@') {
                return null;
            }
            if (a.charAt(0) != '-') {
                c.inputs.add(Path.of(a));
                continue;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (!seen.add(name)) {
                return null;
            }
            if (FLAGS.contains(name) && value == null) {
                flag(c, name);
            } else if (VALUED.contains(name)) {
                if (value == null) {
                    if (i + 1 == args.size() || args.get(i + 1).startsWith("-")) {
                        return null;
                    }
                    value = args.get(++i);
                }
                if (!option(c, name, value)) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return c.inputs.isEmpty() || c.out == null || c.keyFile == null ? null : c;
    }

    private static void flag(DeidCommand c, String name) {
        switch (name) {
            case "--retain-uids" -> c.retainUids = true;
            case "--retain-device-identity" -> c.deviceIdentity = true;
            case "--retain-institution-identity" -> c.institutionIdentity = true;
            case "--retain-patient-characteristics" -> c.patientCharacteristics = true;
            case "--clean-descriptors" -> c.cleanDescriptors = true;
            case "--clean-structured-content" -> c.cleanStructuredContent = true;
            case "--clean-graphics" -> c.cleanGraphics = true;
            case "--retain-safe-private" -> c.safePrivate = true;
            case "--json" -> c.json = true;
            case "--verbose" -> c.common.verbose = true;
            default -> throw new IllegalArgumentException(name); // FLAGS and this switch disagree
        }
    }

    /** False for a value picocli would refuse (it then says why). */
    private static boolean option(DeidCommand c, String name, String value) {
        switch (name) {
            case "--out" -> c.out = Path.of(value);
            case "--key-file" -> c.keyFile = Path.of(value);
            case "--profile" -> c.profile = value;
            case "--retain-longitudinal" -> c.longitudinal = value;
            case "--burned-in" -> c.burnedIn = value;
            case "--map-out" -> c.mapOut = Path.of(value);
            case "--threads" -> {
                if (value.isEmpty() || value.length() > 9) {
                    return false;
                }
                for (int i = 0; i < value.length(); i++) {
                    if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                        return false;
                    }
                }
                c.threads = Integer.parseInt(value);
            }
            default -> throw new IllegalArgumentException(name); // VALUED and this switch disagree
        }
        return true;
    }
}
