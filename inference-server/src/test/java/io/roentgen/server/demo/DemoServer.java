package io.roentgen.server.demo;

import io.roentgen.engine.EngineSettings;
import io.roentgen.server.InferenceServer;
import io.roentgen.server.ServerConfig;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.testing.SyntheticDicom;
import io.roentgen.server.testing.TestRepository;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Serves the test CNN for trying the endpoints by hand (and for the examples in the report):
 * {@code DemoServer DIR PORT} writes a repository and a few synthetic instances under DIR.
 */
public final class DemoServer {
    public static void main(String[] args) throws Exception {
        EngineSettings.fromEnvironment().apply();
        Path dir = Path.of(args[0]);
        Path repo = Files.createDirectories(dir.resolve("models"));
        TestRepository.addVersion(repo, "chest", "1", 11);
        for (int i = 0; i < 3; i++) {
            Files.write(dir.resolve("instance" + i + ".dcm"), SyntheticDicom.instance("1.2.826.0.1.3680043.10.1137.9", i));
        }
        InferenceServer server = new InferenceServer(ServerConfig.defaults(repo).withPort(Integer.parseInt(args[1]))
                .withResults(null, 1000, dir.resolve("results.jsonl")), ModelFormats.standard()).start();
        System.out.println("ready on " + server.port());
        server.awaitStop();
    }
}
