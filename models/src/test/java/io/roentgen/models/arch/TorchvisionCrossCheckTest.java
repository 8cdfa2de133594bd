package io.roentgen.models.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.roentgen.engine.RoentgenException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proves the networks are torchvision's: real PyTorch (Debian's python3-torch / python3-torchvision
 * for /usr/bin/python3) builds each reference model with 1 input channel and 2 classes and exports
 * its weights, an input and its logits; the DJL network gets the same tensors by name and must
 * give the same logits in inference mode.
 */
class TorchvisionCrossCheckTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final String[] ARCHITECTURES = {"resnet18", "resnet50", "densenet121", "mobilenet_v2"};
    private static final double RELATIVE_TOLERANCE = 1e-4;

    @TempDir
    static Path exported;

    @BeforeAll
    static void applyEngineSettings() {
        Networks.applyEngineSettings();
    }

    @BeforeAll
    static void exportReferenceModels() throws IOException, InterruptedException, URISyntaxException {
        Path script = Path.of(TorchvisionCrossCheckTest.class.getResource("export_torchvision.py").toURI());
        String[] command = new String[3 + ARCHITECTURES.length];
        command[0] = PYTHON;
        command[1] = script.toString();
        command[2] = exported.toString();
        System.arraycopy(ARCHITECTURES, 0, command, 3, ARCHITECTURES.length);
        // Output to a file, not a pipe: a hung script then fails at the deadline instead of blocking a read.
        Path log = exported.resolve("export.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(finished, "export script timed out:\n" + output);
        assertEquals(0, process.exitValue(), "export script failed:\n" + output);
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "resnet50", "densenet121", "mobilenet_v2"})
    void sameWeightsGiveTheSameLogitsAsTorchvision(String name) throws IOException, RoentgenException {
        Path directory = exported.resolve(name);
        JsonObject index = new Gson().fromJson(Files.readString(directory.resolve("index.json")), JsonObject.class);
        try (NDManager manager = Networks.cpuManager()) {
            Block network = Networks.initialized(manager, name, 1, 2, 64);
            assertEquals(index.get("trainable_parameters").getAsLong(), ModelSummary.trainableParameters(network));
            loadTorchvisionWeights(network, index.getAsJsonObject("parameters"), directory);

            NDArray input = read(manager, directory, index.getAsJsonObject("input"));
            float[] expected = read(manager, directory, index.getAsJsonObject("output")).toFloatArray();
            NDArray logits = network.forward(new ParameterStore(manager, false), new NDList(input), false)
                    .singletonOrThrow();
            assertEquals(new Shape(2, 2), logits.getShape());
            assertArrayEquals(expected, logits.toFloatArray(), tolerance(expected), name);
        }
    }

    /** Every torchvision tensor has exactly one DJL parameter of the same name and shape. */
    private static void loadTorchvisionWeights(Block network, JsonObject tensors, Path directory) throws IOException {
        Map<String, Parameter> parameters = TorchvisionNames.of(network);
        assertEquals(new TreeSet<>(tensors.keySet()), new TreeSet<>(parameters.keySet()));
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            NDArray target = entry.getValue().getArray();
            JsonObject tensor = tensors.getAsJsonObject(entry.getKey());
            assertEquals(shape(tensor), target.getShape(), entry.getKey());
            target.set(floats(directory, tensor));
        }
    }

    private static NDArray read(NDManager manager, Path directory, JsonObject tensor) throws IOException {
        return manager.create(floats(directory, tensor), shape(tensor));
    }

    private static float[] floats(Path directory, JsonObject tensor) throws IOException {
        byte[] bytes = Files.readAllBytes(directory.resolve(tensor.get("file").getAsString()));
        float[] values = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    private static Shape shape(JsonObject tensor) {
        return new Shape(new Gson().fromJson(tensor.get("shape"), long[].class));
    }

    /** 1e-4 of the largest logit: float32 sums in a different order differ by rounding only. */
    private static float tolerance(float[] expected) {
        float largest = 0;
        for (float value : expected) {
            largest = Math.max(largest, Math.abs(value));
        }
        return (float) (RELATIVE_TOLERANCE * largest);
    }
}
