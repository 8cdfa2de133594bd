package io.roentgen.models.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.RoentgenException;
import io.roentgen.engine.torch.ChannelsLast;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;
import io.roentgen.models.arch.TorchvisionNames;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our hook-free Grad-CAM and Grad-CAM++ give pytorch-grad-cam's raw maps: PyTorch 1.13 (Debian's
 * python3-torch) computes them with forward and tensor hooks on torchvision's networks (and
 * {@code small} re-typed in PyTorch) with randomised batch norms; the same weights go into our
 * networks by their torchvision names, and the maps at the target layer's resolution must agree to
 * 1e-4 of the map's maximum, before any resizing or scaling could hide a difference.
 */
class GradCamReferenceTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final String[] MODELS = {"resnet18:1", "resnet18:3", "densenet121:1", "densenet121:3",
        "mobilenet_v2:1", "mobilenet_v2:3", "small:1", "small:3"};
    private static final int SIZE = 96;
    private static final double RELATIVE_TOLERANCE = 1e-4;

    @TempDir
    static Path exported;

    @BeforeAll
    static void exportReference() throws IOException, InterruptedException, URISyntaxException {
        EngineSettings.fromEnvironment().apply();
        Path script = Path.of(GradCamReferenceTest.class.getResource("gradcam_reference.py").toURI());
        String[] command = new String[3 + MODELS.length];
        command[0] = PYTHON;
        command[1] = script.toString();
        command[2] = exported.toString();
        System.arraycopy(MODELS, 0, command, 3, MODELS.length);
        Path log = exported.resolve("reference.log"); // a file, not a pipe: a hung script fails at the deadline
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        boolean finished = process.waitFor(3, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(finished, "reference script timed out:\n" + output);
        assertEquals(0, process.exitValue(), "reference script failed:\n" + output);
    }

    @ParameterizedTest(name = "{0} with {1} channel(s)")
    @CsvSource({"resnet18,1", "resnet18,3", "densenet121,1", "densenet121,3", "mobilenet_v2,1", "mobilenet_v2,3",
        "small,1", "small,3"})
    void rawMapsEqualPytorchGradCams(String architecture, int channels) throws IOException, RoentgenException {
        Path directory = exported.resolve(architecture + "-" + channels);
        JsonObject index = new Gson().fromJson(Files.readString(directory.resolve("index.json")), JsonObject.class);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Block network = Architectures.build(new ArchitectureSpec(architecture, channels, 2, SIZE, false));
            network.initialize(manager, DataType.FLOAT32, new Shape(1, channels, SIZE, SIZE));
            load(network, index.getAsJsonObject("parameters"), directory);
            SplitNetwork split = SplitNetwork.of(network, architecture, null);
            float[] input = floats(directory, index.getAsJsonObject("input"));
            Shape inputShape = shape(index.getAsJsonObject("input"));
            for (CamMethod method : CamMethod.values()) {
                List<RawCam> cams = CamComputer.explain(split, manager, ChannelsLast.forDevice(Device.cpu()), input,
                        inputShape, new int[] {1, 1}, method);
                JsonObject reference = index.getAsJsonObject(method.id());
                float[] expected = floats(directory, reference);
                long[] mapShape = shape(reference).getShape();
                float[] actual = concatenated(cams, (int) mapShape[1], (int) mapShape[2]);
                float max = max(expected);
                assertTrue(max > 0, "the reference map is all zero: the comparison would prove nothing");
                assertArrayEquals(expected, actual, (float) (RELATIVE_TOLERANCE * max), architecture + " " + method.id());
            }
            float[] logits = floats(directory, index.getAsJsonObject("logits"));
            List<RawCam> cams = CamComputer.explain(split, manager, ChannelsLast.forDevice(Device.cpu()), input, inputShape,
                    new int[] {-1, -1}, CamMethod.GRAD_CAM);
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(new float[] {logits[2 * i], logits[2 * i + 1]}, cams.get(i).logits(),
                        (float) (RELATIVE_TOLERANCE * Math.max(1, max(logits))), "logits of image " + i);
                assertEquals(logits[2 * i + 1] > logits[2 * i] ? 1 : 0, cams.get(i).classIndex(), "the predicted class");
            }
        }
    }

    private static float[] concatenated(List<RawCam> cams, int height, int width) {
        float[] all = new float[cams.size() * height * width];
        for (int i = 0; i < cams.size(); i++) {
            RawCam cam = cams.get(i);
            assertEquals(height, cam.height());
            assertEquals(width, cam.width());
            System.arraycopy(cam.map(), 0, all, i * height * width, height * width);
        }
        return all;
    }

    private static void load(Block network, JsonObject tensors, Path directory) throws IOException {
        Map<String, Parameter> parameters = TorchvisionNames.of(network);
        assertEquals(new TreeSet<>(tensors.keySet()), new TreeSet<>(parameters.keySet()));
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            NDArray target = entry.getValue().getArray();
            JsonObject tensor = tensors.getAsJsonObject(entry.getKey());
            assertEquals(shape(tensor), target.getShape(), entry.getKey());
            target.set(floats(directory, tensor));
        }
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

    private static float max(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, v);
        }
        return max;
    }
}
