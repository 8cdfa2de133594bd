package io.roentgen.cli;

import io.roentgen.dicom.net.ScpConfig;
import io.roentgen.engine.RoentgenException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code roentgen serve}'s DICOM node flags, from the command line and from the config file. */
class DicomNodeOptionsTest {
    @TempDir
    Path tmp;

    @Test
    void helpListsTheDicomFlags() {
        CliRunner.Result r = CliRunner.run("serve", "--help");
        assertEquals(0, r.exitCode());
        for (String flag : List.of("--dicom-port", "--ae-title", "--dicom-host", "--max-associations",
                "--allowed-calling-aets", "--spool", "--study-quiet-seconds", "--spool-min-free-mb", "--dicom-tls-port",
                "--result-tls-ca", "--dimse-timeout-seconds", "--spool-retention-hours", "--outbox-retention-hours")) {
            assertTrue(r.out().contains(flag), flag + " in\n" + r.out());
        }
    }

    @Test
    void noNodeWithoutAPortAndDefaultsOtherwise() throws Exception {
        assertNull(parse().dicomNode.scpConfig());
        ScpConfig config = parse("--dicom-port", "11112").dicomNode.scpConfig();
        assertEquals("ROENTGEN", config.aeTitle());
        assertEquals("127.0.0.1", config.host());
        assertEquals(11112, config.port());
        assertEquals(25, config.maxAssociations());
        assertEquals(Set.of(), config.allowedCallingAets());
        assertEquals(1L << 30, config.minFreeBytes());
        assertEquals(60_000, config.idleMillis(), "the DIMSE timer");
        assertEquals(10_000, config.artimMillis());
    }

    @Test
    void flagsComeFromTheConfigFileAndTheCommandLineWins() throws Exception {
        Path file = Files.writeString(tmp.resolve("serve.json"), "{\"dicom-port\": 104, \"ae-title\": \"AI_NODE\", "
                + "\"allowed-calling-aets\": \"PACS,CT_1\", \"max-associations\": 4, \"spool\": \"" + tmp.resolve("s") + "\", "
                + "\"study-quiet-seconds\": 2.5, \"dimse-timeout-seconds\": 7.5, \"spool-retention-hours\": 2, "
                + "\"outbox-retention-hours\": 48}");
        ServeCommand probe = parse();
        List<String> args = new ArrayList<>(ConfigFile.arguments(file, probe.spec));
        args.addAll(List.of("--max-associations", "9"));
        ServeCommand merged = new ServeCommand();
        CommandLine cli = new CommandLine(merged);
        cli.setOverwrittenOptionsAllowed(true);
        cli.parseArgs(args.toArray(String[]::new));
        ScpConfig config = merged.dicomNode.scpConfig();
        assertEquals(104, config.port());
        assertEquals("AI_NODE", config.aeTitle());
        assertEquals(Set.of("PACS", "CT_1"), config.allowedCallingAets());
        assertEquals(9, config.maxAssociations());
        assertEquals(tmp.resolve("s"), config.spool());
        assertEquals(2.5, merged.dicomNode.studyQuietSeconds);
        assertEquals(7_500, config.idleMillis());
        assertEquals(java.time.Duration.ofHours(2), merged.dicomNode.spoolRetention());
        assertEquals(java.time.Duration.ofHours(48), merged.results.outboxRetention());
    }

    @Test
    void resultFlagsAreTheServersOwnNotTheNodes() {
        ServeCommand command = parse("--dicom-port", "1", "--result-destination", "dicom://PACS@10.0.0.5:104",
                "--sr-class", "comprehensive", "--emit-sr");
        assertEquals(List.of("dicom://PACS@10.0.0.5:104"), command.results.destinations);
        assertEquals("comprehensive", command.results.srClass);
        assertTrue(command.results.emitSr);
    }

    @Test
    void theTlsPortComesFromTheConfigFileAndNeedsTheServersTlsFiles() throws Exception {
        Path file = Files.writeString(tmp.resolve("serve.json"), "{\"dicom-tls-port\": 2762, \"result-tls-ca\": \"pacs-ca.pem\"}");
        ServeCommand merged = new ServeCommand();
        new CommandLine(merged).parseArgs(ConfigFile.arguments(file, parse().spec).toArray(String[]::new));
        ScpConfig config = merged.dicomNode.scpConfig();
        assertEquals(2762, config.port(), "a TLS-only node");
        assertEquals(Path.of("pacs-ca.pem"), merged.results.resultTlsCa);
        RoentgenException e = assertThrows(RoentgenException.class, () -> merged.dicomNode.endpoints(null));
        assertTrue(e.getMessage().contains("--tls-cert"), e.getMessage());
        assertEquals(1, parse("--dicom-port", "104").dicomNode.endpoints(null).size(), "plain needs no TLS files");
        assertThrows(RoentgenException.class, () -> parse("--dicom-tls-port", "70000").dicomNode.scpConfig());
    }

    @Test
    void badValuesAreUsageErrors() {
        RoentgenException e = assertThrows(RoentgenException.class,
                () -> parse("--dicom-port", "11112", "--ae-title", "A_TITLE_LONGER_THAN_16").dicomNode.scpConfig());
        assertTrue(e.getMessage().contains("1 to 16 characters"), e.getMessage());
        assertThrows(RoentgenException.class, () -> parse("--dicom-port", "70000").dicomNode.scpConfig());
        assertThrows(RoentgenException.class, () -> parse("--dicom-port", "1", "--dimse-timeout-seconds", "0").dicomNode.scpConfig());
    }

    private static ServeCommand parse(String... args) {
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }
}
