package io.roentgen.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.server.InferenceServer;
import io.roentgen.server.ServerConfig;
import io.roentgen.server.repository.ModelFormats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file scores the same offline and through the server: a bundle trained by `roentgen train`,
 * scored by `roentgen predict` and by the real server over HTTP with the real bundle loader.
 */
class ServePredictParityTest {
    @TempDir
    Path temp;

    @Test
    void serverScoresEqualPredictScores() throws Exception {
        Path data = temp.resolve("data");
        assertEquals(0, CliRunner.run("synth", "--out", data.toString(), "--patients", "30", "--size", "32").exitCode());
        Path run = temp.resolve("run");
        assertEquals(0, CliRunner.run("train", "--data", data.resolve("manifest.csv").toString(), "--arch", "small",
                "--image-size", "32", "--epochs", "1", "--batch-size", "8", "--out", run.toString()).exitCode());
        Path repository = temp.resolve("repo");
        io.roentgen.engine.FileTrees.copy(run.resolve("bundle"), repository.resolve("demo").resolve("1"));

        List<Path> files;
        try (Stream<Path> walk = Files.walk(data)) {
            files = walk.filter(p -> p.toString().endsWith(".dcm")).sorted().limit(6).toList();
        }
        assertEquals(6, files.size(), "studies synth wrote");
        String[] predictArgs = Stream.concat(Stream.of("predict", "--model", run.resolve("bundle").toString(),
                "--format", "json"), files.stream().map(Path::toString)).toArray(String[]::new);
        CliRunner.Result predicted = CliRunner.run(predictArgs);
        assertEquals(0, predicted.exitCode(), predicted.err());
        JsonArray offline = JsonParser.parseString(predicted.out()).getAsJsonArray();

        ServerConfig config = ServerConfig.defaults(repository).withPort(0);
        try (InferenceServer server = new InferenceServer(config, ModelFormats.standard()).start()) {
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < files.size(); i++) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + server.port() + "/v1/models/demo/classify"))
                        .header("Content-Type", "application/dicom")
                        .POST(HttpRequest.BodyPublishers.ofFile(files.get(i))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), response.body());
                JsonObject served = JsonParser.parseString(response.body()).getAsJsonObject()
                        .getAsJsonArray("results").get(0).getAsJsonObject();
                JsonObject local = offline.get(i).getAsJsonObject();
                assertEquals(local.get("sopInstanceUid").getAsString(), served.get("sopInstanceUid").getAsString());
                assertEquals(local.get("label").getAsString(), served.get("label").getAsString());
                for (String label : local.getAsJsonObject("probabilities").keySet()) {
                    double expected = local.getAsJsonObject("probabilities").get(label).getAsDouble();
                    double actual = served.getAsJsonObject("scores").get(label).getAsDouble();
                    assertEquals(expected, actual, 1e-6, label + " of " + files.get(i).getFileName());
                }
            }
        }
        assertTrue(offline.size() == files.size());
    }
}
