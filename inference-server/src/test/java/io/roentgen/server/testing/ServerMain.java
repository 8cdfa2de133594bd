package io.roentgen.server.testing;

import io.roentgen.engine.EngineSettings;
import io.roentgen.server.InferenceServer;
import io.roentgen.server.repository.ModelFormats;

import java.nio.file.Path;

/** A test server in a JVM of its own (its heap set by the test): prints "PORT n", serves until killed. */
public final class ServerMain {
    private ServerMain() {}

    public static void main(String[] args) throws Exception {
        EngineSettings.fromEnvironment().apply();
        InferenceServer server = new InferenceServer(ServerFixture.config(Path.of(args[0])).withPort(0), ModelFormats.standard())
                .start();
        System.out.println("PORT " + server.port());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        server.awaitStop();
    }
}
