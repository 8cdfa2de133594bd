package io.roentgen.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./roentgen demo}, the README's first command, run whole through the launcher (smaller
 * than its defaults): every step's output, the classifications against {@code roentgen predict}
 * on the same files, the artifacts it names, and the server it started is gone afterwards.
 */
class DemoIT {
    private static final Pattern SERVER = Pattern.compile("Server: http://127\\.0\\.0\\.1:(\\d+) \\(model 'demo', version 1\\)");
    private static final Pattern INSTANCE = Pattern.compile(
            "instance \\.\\.\\.(\\S+)\\s+-> (\\S+)\\s+\\((\\S+) (\\d\\.\\d{3}) (\\S+) (\\d\\.\\d{3})\\)");

    @TempDir
    Path temp;

    @Test
    void theWholeDemoClassifiesOverHttpPrintsMetricsAndStopsItsServer() throws Exception {
        Path out = temp.resolve("demo");
        ChildProcess.Result demo = ChildProcess.run(new ProcessBuilder("bash", Path.of("..", "roentgen").toString(), "demo",
                "--out", out.toString(), "--patients", "40", "--epochs", "1"), temp.resolve("logs"), Duration.ofMinutes(4));
        String printed = demo.out();
        assertEquals(0, demo.code(), printed + demo.err());
        for (String step : List.of("== 1/5 Synthesising", "== 2/5 Training", "== 3/5 Serving", "== 4/5 Classifying",
                "== 5/5 Test-split metrics")) {
            assertTrue(printed.contains(step), step + " in\n" + printed);
        }
        assertTrue(printed.contains("POST /v1/models/demo/classify (application/dicom, 1 instance): HTTP 200"), printed);
        assertTrue(printed.contains("POST /v1/models/demo/classify (multipart/related, 4 instances): HTTP 200"), printed);
        assertTrue(Pattern.compile("Accuracy \\d\\.\\d{3}\\s+macro AUROC \\d\\.\\d{3} \\[\\d\\.\\d{3}, \\d\\.\\d{3}]")
                .matcher(printed).find(), printed);
        assertTrue(printed.contains("Confusion matrix"), printed);

        assertPrintedClassificationsArePredictions(printed, out);
        for (String artifact : List.of("data/manifest.csv", "run/metrics.jsonl", "run/learning-curves.png", "run/roc.png",
                "run/split.csv", "run/bundle", "models/demo/1", "evaluation/evaluation.json", "evaluation/roc.png")) {
            assertTrue(Files.exists(out.resolve(artifact)), artifact);
        }
        assertTrue(printed.contains("bundle " + out.resolve("run/bundle")), printed);

        Matcher server = SERVER.matcher(printed);
        assertTrue(server.find(), printed);
        assertTrue(demo.err().contains("InferenceServer - stopped"), demo.err());
        int port = Integer.parseInt(server.group(1));
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(), "the demo's server is gone");
    }

    /** The five printed results (one single, four multipart) are what {@code roentgen predict} says of those files. */
    private void assertPrintedClassificationsArePredictions(String printed, Path out) throws IOException, InterruptedException {
        List<Path> sent = testFiles(out.resolve("run/split.csv"));
        String[] args = Stream.concat(Stream.of("predict", "--model", out.resolve("run/bundle").toString(), "--format", "json"),
                sent.stream().map(Path::toString)).toArray(String[]::new);
        ChildProcess.Result predict = ChildProcess.runJar(temp.resolve("logs"), Duration.ofMinutes(2), args);
        assertEquals(0, predict.code(), predict.err());
        JsonArray predictions = JsonParser.parseString(predict.out()).getAsJsonArray();
        List<JsonObject> expected = new ArrayList<>();
        expected.add(predictions.get(0).getAsJsonObject());
        predictions.forEach(p -> expected.add(p.getAsJsonObject()));

        Matcher line = INSTANCE.matcher(printed);
        for (JsonObject prediction : expected) {
            assertTrue(line.find(), "a result line for " + prediction + " in\n" + printed);
            String uid = prediction.get("sopInstanceUid").getAsString();
            assertEquals(uid.substring(uid.length() - 12), line.group(1));
            assertEquals(prediction.get("label").getAsString(), line.group(2));
            JsonObject probabilities = prediction.getAsJsonObject("probabilities");
            assertEquals(printedScore(probabilities, line.group(3)), line.group(4));
            assertEquals(printedScore(probabilities, line.group(5)), line.group(6));
        }
        assertTrue(!line.find(), "five result lines, no more:\n" + printed);
    }

    private static String printedScore(JsonObject probabilities, String label) {
        JsonElement p = probabilities.get(label);
        assertTrue(p != null, label + " in " + probabilities);
        return String.format(Locale.ROOT, "%.3f", p.getAsDouble());
    }

    /** The demo's choice: the first four test-split files of split.csv. */
    private static List<Path> testFiles(Path splitCsv) throws IOException {
        List<Path> files = Files.readAllLines(splitCsv).stream().skip(1).filter(l -> l.endsWith(",test"))
                .map(l -> splitCsv.getParent().resolve(l.substring(0, l.indexOf(','))).normalize()).limit(4).toList();
        assertEquals(4, files.size());
        return files;
    }
}
