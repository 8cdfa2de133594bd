package io.roentgen.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DeidArgs}, the parser of well-formed {@code deid} command lines, against picocli on the
 * same {@link DeidCommand}: the same value in every option and parameter field, every option
 * picocli knows known to it, and picocli left to handle whatever it does not read itself.
 */
class DeidArgsTest {
    private static DeidCommand picocli(List<String> args) {
        DeidCommand c = new DeidCommand();
        new CommandLine(c).parseArgs(args.toArray(String[]::new));
        return c;
    }

    /** Every field picocli fills, by name, with its value (the mixin's options included). */
    private static List<String> values(DeidCommand c) throws IllegalAccessException {
        List<String> out = new ArrayList<>();
        for (Field f : DeidCommand.class.getDeclaredFields()) {
            if (f.isAnnotationPresent(CommandLine.Option.class) || f.isAnnotationPresent(CommandLine.Parameters.class)) {
                f.setAccessible(true);
                out.add(f.getName() + "=" + f.get(c));
            }
        }
        out.add("verbose=" + c.common.verbose);
        return out;
    }

    private static void same(String... args) throws Exception {
        List<String> list = List.of(args);
        DeidCommand ours = DeidArgs.parse(list);
        assertNotNull(ours, "DeidArgs should read " + list);
        assertEquals(values(picocli(list)), values(ours), list.toString());
    }

    @Test
    void readsWhatPicocliReadsTheSameWay() throws Exception {
        same("in", "--out", "o", "--key-file", "k");
        same("a.dcm", "dir/b", "--out=o", "--key-file=k", "c", "--json");
        same("--out", "o", "in", "--key-file", "k", "--threads", "3", "--map-out", "map.csv", "--profile", "basic",
                "--retain-longitudinal", "modified", "--burned-in", "mask:regions.json", "--retain-uids",
                "--retain-device-identity", "--retain-institution-identity", "--retain-patient-characteristics",
                "--clean-descriptors", "--clean-structured-content", "--clean-graphics", "--retain-safe-private",
                "--json", "--verbose");
        same("in", "--out=", "--key-file", "k", "--retain-longitudinal=full", "--threads=12");
        same("in with spaces", "--out", "o=1", "--key-file", "k");
    }

    @Test
    void leavesEverythingElseToPicocli() {
        for (List<String> args : List.of(
                List.of("--help"), List.of("in", "-h"), List.of("in", "--out", "o", "--key-file", "k", "-V"),
                List.of("--out", "o", "--key-file", "k"),                            // no input
                List.of("in", "--key-file", "k"),                                     // no --out
                List.of("in", "--out", "o"),                                          // no --key-file
                List.of("in", "--out", "o", "--key-file", "k", "--unknown"),
                List.of("in", "--out", "o", "--out", "p", "--key-file", "k"),        // repeated
                List.of("in", "--out", "o", "--key-file", "k", "--json=true"),       // a flag with a value
                List.of("in", "--out", "-o", "--key-file", "k"),                     // a value like an option
                List.of("in", "--out", "o", "--key-file"),                           // a missing value
                List.of("in", "--out", "o", "--key-file", "k", "--threads", "two"),
                List.of("in", "--out", "o", "--key-file", "k", "--threads", "-1"),
                List.of("in", "--out", "o", "--key-file", "k", "--threads", "+2"),
                List.of("in", "--out", "o", "--key-file", "k", "--", "-in"),
                List.of("@args.txt"), List.of("", "--out", "o", "--key-file", "k"),
                List.of("in\0", "--out", "o", "--key-file", "k"))) {
            assertNull(DeidArgs.parse(args), args.toString());
        }
    }

    @Test
    void knowsEveryOptionPicocliKnows() {
        CommandLine.Model.CommandSpec spec = new CommandLine(new DeidCommand()).getCommandSpec();
        Set<String> valued = new HashSet<>();
        Set<String> flags = new HashSet<>();
        for (CommandLine.Model.OptionSpec o : spec.options()) {
            if (o.usageHelp() || o.versionHelp()) {
                continue; // help and version: picocli's
            }
            assertEquals(1, o.names().length, "one name per option: " + List.of(o.names()));
            (o.arity().max() == 0 ? flags : valued).add(o.longestName());
        }
        assertEquals(valued, DeidArgs.VALUED);
        assertEquals(flags, DeidArgs.FLAGS);
        assertEquals(1, spec.positionalParameters().size(), "the inputs are the only parameters");
        assertTrue(spec.positionalParameters().get(0).arity().min() >= 1);
    }
}
