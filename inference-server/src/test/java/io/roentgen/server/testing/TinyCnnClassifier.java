package io.roentgen.server.testing;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;
import io.roentgen.models.ModelCard;
import io.roentgen.models.Scores;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real classifier for the server's tests: the zoo's "small" CNN (1 channel, 64 x 64, two
 * classes) with weights saved in a test bundle, run with DJL's PyTorch engine. What the real
 * model bundles will be, minus their file format.
 */
public final class TinyCnnClassifier implements Classifier {
    static final int SIZE = 64;
    static final List<String> LABELS = List.of("normal", "abnormal");
    static final String PREFIX = "tinycnn";

    private final Model model;
    private final ModelCard card;

    private TinyCnnClassifier(Model model, ModelCard card) {
        this.model = model;
        this.card = card;
    }

    static Block network() throws RoentgenException {
        return Architectures.build(ArchitectureSpec.of("small", 1, LABELS.size()).withImageSize(SIZE));
    }

    /** Writes weights initialised from {@code seed} into {@code dir}. */
    static void writeWeights(Path dir, int seed) throws IOException, RoentgenException {
        writeWeights(dir, seed, false);
    }

    /** Writes weights initialised from {@code seed}, the first parameter all NaN when {@code damaged}. */
    static synchronized void writeWeights(Path dir, int seed, boolean damaged) throws IOException, RoentgenException {
        try (Model m = Model.newInstance(PREFIX, Device.cpu())) {
            Engine.getInstance().setRandomSeed(seed);
            Block block = network();
            m.setBlock(block);
            block.initialize(m.getNDManager(), DataType.FLOAT32, new Shape(1, 1, SIZE, SIZE));
            if (damaged) {
                NDArray first = block.getParameters().get(0).getValue().getArray();
                float[] nan = new float[Math.toIntExact(first.size())];
                java.util.Arrays.fill(nan, Float.NaN);
                first.set(nan);
            }
            m.save(dir, PREFIX);
        }
    }

    public static TinyCnnClassifier load(Path dir, Device device) throws RoentgenException {
        Model model = Model.newInstance(PREFIX, device);
        try {
            model.setBlock(network());
            model.load(dir, PREFIX);
        } catch (IOException | MalformedModelException e) {
            model.close();
            throw new RoentgenException("cannot load test weights from " + dir + ": " + e.getMessage());
        }
        String version = dir.getFileName().toString();
        String name = dir.getParent().getFileName().toString();
        return new TinyCnnClassifier(model, new ModelCard(name, version, "tinycnn", LABELS, false, 1, SIZE, SIZE,
                new float[] {0.5f, 0.5f}));
    }

    @Override
    public ModelCard card() {
        return card;
    }

    @Override
    public PreprocessingSpec preprocessing() {
        return PreprocessingSpec.standard(SIZE, 1);
    }

    @Override
    public List<Scores> predict(List<FloatImage> batch) throws RoentgenException {
        int plane = SIZE * SIZE;
        float[] stacked = new float[batch.size() * plane];
        for (int i = 0; i < batch.size(); i++) {
            FloatImage image = batch.get(i);
            if (image.channels() != 1 || image.height() != SIZE || image.width() != SIZE) {
                throw new RoentgenException("expected 1x64x64, got " + image);
            }
            System.arraycopy(image.data(), 0, stacked, i * plane, plane);
        }
        float[] probabilities;
        try (NDManager scope = model.getNDManager().newSubManager()) {
            NDArray input = scope.create(stacked, new Shape(batch.size(), 1, SIZE, SIZE));
            NDList out = model.getBlock().forward(new ParameterStore(scope, false), new NDList(input), false);
            probabilities = out.singletonOrThrow().softmax(1).toFloatArray();
        }
        List<Scores> scores = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            float[] p = {probabilities[i * 2], probabilities[i * 2 + 1]};
            String top = p[1] > p[0] ? LABELS.get(1) : LABELS.get(0);
            scores.add(new Scores(LABELS, p, List.of(top), card.thresholds()));
        }
        return scores;
    }

    @Override
    public void close() {
        model.close();
    }
}
