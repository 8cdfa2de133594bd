package io.roentgen.cli;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;
import io.roentgen.models.ModelCard;
import io.roentgen.models.Scores;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;
import io.roentgen.server.repository.ModelFormats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void helpListsEveryFlag() {
        CliRunner.Result r = CliRunner.run("serve", "--help");
        assertEquals(0, r.exitCode());
        for (String flag : List.of("--model-repository", "--host", "--port", "--devices", "--max-batch-size",
                "--max-queue-delay-ms", "--queue-capacity", "--timeout-ms", "--auth-token-file", "--max-body-mb", "--config",
                "--preferred-batch-sizes", "--no-warmup", "--memory-budget-mb", "--max-connections-per-client",
                "--idle-timeout-ms", "--min-request-bytes-per-second", "--tls-cert", "--tls-key", "--tls-keystore",
                "--tls-keystore-password", "--tls-client-ca", "--audit-log", "--audit-key-file")) {
            assertTrue(r.out().contains(flag), flag + " in\n" + r.out());
        }
    }

    /** Anything but loopback without a token: said before the server starts (here it then fails: no models). */
    @Test
    void bindingBeyondLoopbackWithoutATokenWarns() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("no-models"));
        CliRunner.Result open = CliRunner.run("serve", "--model-repository", empty.toString(), "--host", "0.0.0.0", "--port", "0",
                "--devices", "cpu");
        assertTrue(open.err().contains("warning: serving on 0.0.0.0 without --auth-token-file"), open.err());
        CliRunner.Result loopback = CliRunner.run("serve", "--model-repository", empty.toString(), "--port", "0", "--devices", "cpu");
        assertTrue(!loopback.err().contains("warning: serving"), loopback.err());
    }

    @Test
    void usageErrorsExitTwoAndAnEmptyRepositoryExitsOne() throws Exception {
        assertEquals(2, CliRunner.run("serve").exitCode());
        CliRunner.Result missing = CliRunner.run("serve", "--model-repository", tmp.resolve("nope").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("is not a folder"), missing.err());
        Path config = Files.writeString(tmp.resolve("serve.json"), "{\"no-such-flag\": 1}");
        CliRunner.Result badConfig = CliRunner.run("serve", "--model-repository", tmp.toString(), "--config", config.toString());
        assertEquals(2, badConfig.exitCode());
        CliRunner.Result keyWithoutCert = CliRunner.run("serve", "--model-repository", tmp.toString(), "--tls-key", "k.pem");
        assertEquals(2, keyWithoutCert.exitCode());
        assertTrue(keyWithoutCert.err().contains("--tls-cert and --tls-key, or --tls-keystore"), keyWithoutCert.err());
        assertTrue(badConfig.err().contains("no-such-flag"), badConfig.err());
        CliRunner.Result unsorted = CliRunner.run("serve", "--model-repository", tmp.toString(), "--preferred-batch-sizes", "8,4");
        assertEquals(2, unsorted.exitCode());
        assertTrue(unsorted.err().contains("preferred batch sizes in ascending order without repeats, got [8, 4]"), unsorted.err());
        CliRunner.Result tooBig = CliRunner.run("serve", "--model-repository", tmp.toString(), "--max-batch-size", "16",
                "--preferred-batch-sizes", "4,32");
        assertEquals(2, tooBig.exitCode());
        assertTrue(tooBig.err().contains("preferred batch sizes from 1 to the max batch size 16, got 32"), tooBig.err());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliRunner.Result none = CliRunner.run("serve", "--model-repository", empty.toString(), "--port", "0", "--devices", "cpu");
        assertEquals(1, none.exitCode());
        assertTrue(none.err().contains("holds no model folders"), none.err());
    }

    /**
     * The real command in its own JVM: flags from a config file, a classification over HTTP, then
     * SIGTERM stops it gracefully with exit code 0.
     */
    @Test
    void servesUntilSigtermThenExitsZero() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("models/chest/1"));
        Files.writeString(repo.resolve(SeededCnn.MARKER), "seed 5");
        Path config = Files.writeString(tmp.resolve("serve.json"),
                "{\"port\": 0, \"devices\": \"cpu\", \"max-batch-size\": 4, \"no-warmup\": true}");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Droentgen.intraOpThreads=1", "-cp", System.getProperty("java.class.path"),
                Launcher.class.getName(), "serve", "--config", config.toString(),
                "--model-repository", tmp.resolve("models").toString()));
        try (ServerProcess server = ServerProcess.listening(ChildProcess.start(new ProcessBuilder(cmd), tmp.resolve("logs")))) {
            HttpResponse<String> metadata = server.get("/v2/models/chest");
            assertEquals(200, metadata.statusCode(), metadata.body());
            assertTrue(metadata.body().contains("\"shape\":[-1,1,64,64]"), metadata.body());
            ChildProcess.Result stopped = server.stop();
            assertEquals(0, stopped.code(), stopped.out() + stopped.err());
        }
    }

    /** Runs {@code roentgen} with the test bundle format registered. */
    public static final class Launcher {
        public static void main(String[] args) {
            ServeCommand.formats = new ModelFormats().register("seeded-cnn", dir -> Files.isRegularFile(dir.resolve(SeededCnn.MARKER)),
                    SeededCnn::new);
            Main.main(args);
        }
    }

    /** The zoo's small CNN with weights drawn from a fixed seed: a real model for the command test. */
    static final class SeededCnn implements Classifier {
        static final String MARKER = "seeded-cnn.txt";
        private final Model model;
        private final ModelCard card;

        SeededCnn(Path dir, Device device) throws RoentgenException {
            model = Model.newInstance("seeded", device);
            Engine.getInstance().setRandomSeed(5);
            model.setBlock(Architectures.build(ArchitectureSpec.of("small", 1, 2).withImageSize(64)));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 64, 64));
            card = new ModelCard(dir.getParent().getFileName().toString(), dir.getFileName().toString(), "seeded-cnn",
                    List.of("normal", "abnormal"), false, 1, 64, 64, new float[] {0.5f, 0.5f});
        }

        @Override
        public ModelCard card() {
            return card;
        }

        @Override
        public PreprocessingSpec preprocessing() {
            return PreprocessingSpec.standard(64, 1);
        }

        @Override
        public List<Scores> predict(List<FloatImage> batch) {
            float[] stacked = new float[batch.size() * 64 * 64];
            for (int i = 0; i < batch.size(); i++) {
                System.arraycopy(batch.get(i).data(), 0, stacked, i * 64 * 64, 64 * 64);
            }
            try (NDManager scope = model.getNDManager().newSubManager()) {
                NDList out = model.getBlock().forward(new ParameterStore(scope, false),
                        new NDList(scope.create(stacked, new Shape(batch.size(), 1, 64, 64))), false);
                float[] p = out.singletonOrThrow().softmax(1).toFloatArray();
                List<Scores> scores = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    float[] one = {p[2 * i], p[2 * i + 1]};
                    scores.add(new Scores(card.labels(), one, List.of(card.labels().get(one[1] > one[0] ? 1 : 0)), card.thresholds()));
                }
                return scores;
            }
        }

        @Override
        public void close() {
            model.close();
        }
    }
}
