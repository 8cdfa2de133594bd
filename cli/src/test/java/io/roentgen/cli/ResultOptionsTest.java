package io.roentgen.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The serve flags for results back to the PACS: listed in help, and refused before the server starts when wrong. */
class ResultOptionsTest {
    @TempDir
    Path tmp;

    @Test
    void helpListsTheResultFlags() {
        CliRunner.Result r = CliRunner.run("serve", "--help");
        for (String flag : List.of("--result-destination", "--emit-sr", "--emit-explanation", "--sr-class", "--outbox")) {
            assertTrue(r.out().contains(flag), flag + " in\n" + r.out());
        }
    }

    @Test
    void wrongResultFlagsAreUsageErrorsBeforeTheServerStarts() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("models"));
        String outbox = tmp.resolve("outbox").toString();
        List<List<String>> cases = List.of(
                List.of("--emit-sr"),
                List.of("--emit-sr", "--result-destination", "ftp://pacs/x"),
                List.of("--emit-sr", "--result-destination", "dicom://127.0.0.1:104"),
                List.of("--emit-sr", "--result-destination", "https://pacs/dicomweb", "--sr-class", "enhanced"),
                List.of("--emit-explanation", "--result-destination", "https://pacs/dicomweb"),
                List.of("--emit-sr", "--result-destination", "https://pacs/dicomweb", "--emit-explanation=png"));
        List<String> why = List.of("--emit-sr needs at least one --result-destination", "use dicom://AET@host:port",
                "a DICOM node is dicom://AET@host:port", "SR class is comprehensive3d or comprehensive",
                "--emit-explanation goes with the SR: add --emit-sr", "must be sc or seg, not 'png'");
        for (int i = 0; i < cases.size(); i++) {
            List<String> args = new java.util.ArrayList<>(List.of("serve", "--model-repository", repo.toString(), "--port", "0",
                    "--devices", "cpu", "--outbox", outbox));
            args.addAll(cases.get(i));
            CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
            assertEquals(2, r.exitCode(), cases.get(i) + ": " + r.err());
            assertTrue(r.err().contains(why.get(i)), r.err());
        }
        assertFalse(Files.exists(tmp.resolve("outbox/pending")), "nothing started for a refused configuration");
    }

    @Test
    void destinationsWithoutEmitSrWarn() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliRunner.Result r = CliRunner.run("serve", "--model-repository", empty.toString(), "--port", "0", "--devices", "cpu",
                "--result-destination", "https://pacs/dicomweb");
        assertTrue(r.err().contains("warning: --result-destination without --emit-sr"), r.err());
    }
}
