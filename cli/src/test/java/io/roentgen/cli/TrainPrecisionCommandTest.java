package io.roentgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --precision bf16} records the precision in the bundle's model.json, and
 * {@code evaluate} in another precision reports the difference to the trained one.
 */
class TrainPrecisionCommandTest {
    @TempDir
    Path temp;

    @Test
    void aBf16RunRecordsItsPrecisionAndEvaluateReportsTheDifference() throws Exception {
        Path data = temp.resolve("data");
        assertEquals(0, CliRunner.run("synth", "--out", data.toString(), "--patients", "24", "--size", "32").exitCode());
        Path run = temp.resolve("run");
        Path manifest = data.resolve("manifest.csv");
        CliRunner.Result unknown = CliRunner.run("train", "--data", manifest.toString(), "--arch", "small",
                "--image-size", "32", "--out", temp.resolve("refused").toString(), "--precision", "int8");
        assertEquals(2, unknown.exitCode(), "a usage error: " + unknown.err());
        assertTrue(unknown.err().contains("int8"), unknown.err());
        CliRunner.Result trained = CliRunner.run("train", "--data", manifest.toString(), "--arch", "small",
                "--image-size", "32", "--epochs", "1", "--batch-size", "8", "--out", run.toString(), "--seed", "3",
                "--precision", "bf16");
        assertEquals(0, trained.exitCode(), trained.err());
        String model = Files.readString(run.resolve("bundle/model.json"));
        assertEquals("bf16", JsonParser.parseString(model).getAsJsonObject().getAsJsonObject("provenance")
                .get("precision").getAsString(), model);

        Path bundle = run.resolve("bundle");
        CliRunner.Result fp32 = CliRunner.run("evaluate", "--model", bundle.toString(), "--data", manifest.toString(),
                "--bootstrap", "0", "--precision", "fp32");
        assertEquals(0, fp32.exitCode(), fp32.err());
        assertTrue(fp32.out().contains("Precision: evaluated in fp32, trained in bf16: macro AUROC "), fp32.out());
        assertTrue(fp32.out().matches("(?s).*\\(difference [+-]\\d\\.\\d{4}\\), accuracy .*"), fp32.out());

        CliRunner.Result same = CliRunner.run("evaluate", "--model", bundle.toString(), "--data", manifest.toString(),
                "--bootstrap", "0", "--precision", "bf16");
        assertEquals(0, same.exitCode(), same.err());
        assertFalse(same.out().contains("Precision:"), "nothing to compare in the trained precision: " + same.out());
    }
}
