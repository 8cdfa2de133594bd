package io.roentgen.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.roentgen.engine.FileTrees;
import io.roentgen.training.optim.ParameterOptimizer;

import io.roentgen.training.run.Json;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoints of a run, in {@code RUN/checkpoints/}: {@code epoch-NNN/} after epoch NNN
 * (1-based) and {@code epoch-NNN-step-SSSSSS/} when a stop was requested after step SSSSSS of
 * epoch NNN. Each holds {@code parameters.bin} (DJL {@link Block#saveParameters}),
 * {@code optimizer.bin} (the optimizer buffers as an encoded {@link NDList}) and
 * {@code checkpoint.json} ({@link CheckpointState}), and last {@code MANIFEST.sha256}, their
 * checksums ({@link CheckpointIntegrity}): a checkpoint is used only when they match.
 *
 * <p>A checkpoint is written into a {@code .partial} folder and renamed when complete, so a crash
 * while writing never leaves a checkpoint that looks usable: {@link #latest()} sees only complete
 * ones.
 */
public final class Checkpoints {
    public static final String STATE_FILE = "checkpoint.json";
    public static final String PARAMETERS_FILE = "parameters.bin";
    public static final String OPTIMIZER_FILE = "optimizer.bin";
    /** The files of a checkpoint, all covered by its {@link CheckpointIntegrity#MANIFEST}. */
    static final List<String> FILES = List.of(PARAMETERS_FILE, OPTIMIZER_FILE, STATE_FILE);
    private static final Pattern NAME = Pattern.compile("epoch-(\\d{3,})(?:-step-(\\d{6,}))?");

    private final Path directory;

    public Checkpoints(Path runDirectory) {
        this.directory = runDirectory.resolve("checkpoints");
    }

    public Path directory() {
        return directory;
    }

    /** Where the checkpoint for this position goes. */
    public Path pathFor(int epoch, int stepsInEpoch) {
        String name = stepsInEpoch == 0 ? String.format("epoch-%03d", epoch)
                : String.format("epoch-%03d-step-%06d", epoch, stepsInEpoch);
        return directory.resolve(name);
    }

    /** Writes a checkpoint atomically; returns its folder. */
    public Path save(CheckpointState state, Block block, ParameterOptimizer optimizer) throws IOException {
        Path target = state.atEpochEnd() ? pathFor(state.epochsCompleted(), 0)
                : pathFor(state.epochsCompleted() + 1, state.stepsInEpoch());
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        FileTrees.delete(partial);
        Files.createDirectories(partial);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                Files.newOutputStream(partial.resolve(PARAMETERS_FILE))))) {
            block.saveParameters(out);
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial.resolve(OPTIMIZER_FILE)))) {
            optimizer.state().encode(out);
        }
        Files.writeString(partial.resolve(STATE_FILE), Json.pretty().toJson(state), StandardCharsets.UTF_8);
        CheckpointIntegrity.seal(partial, FILES);
        FileTrees.delete(target);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        CheckpointIntegrity.fsync(directory);
        return target;
    }

    /**
     * Checks a checkpoint's files against its SHA-256 manifest.
     *
     * @throws CheckpointIntegrity.DamagedCheckpointException one line naming the damaged file
     */
    public static void verify(Path checkpoint) throws CheckpointIntegrity.DamagedCheckpointException {
        CheckpointIntegrity.verify(checkpoint, FILES);
    }

    /** Complete checkpoints, furthest first. */
    public List<Path> newestFirst() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isRegularFile(p.resolve(STATE_FILE)))
                    .sorted(Comparator.comparingLong(Checkpoints::position).reversed())
                    .toList();
        }
    }

    /** The furthest complete checkpoint, if any. */
    public Optional<Path> latest() throws IOException {
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isRegularFile(p.resolve(STATE_FILE)))
                    .max(Comparator.comparingLong(Checkpoints::position));
        }
    }

    /** Epoch and step of a checkpoint folder, as one sortable number. */
    private static long position(Path checkpoint) {
        Matcher m = NAME.matcher(checkpoint.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a checkpoint folder: " + checkpoint);
        }
        long epoch = Long.parseLong(m.group(1));
        // Epoch checkpoint N sits at N * 1e9; a stop after step s of epoch N at (N - 1) * 1e9 + s.
        return m.group(2) == null ? epoch * 1_000_000_000L
                : (epoch - 1) * 1_000_000_000L + Long.parseLong(m.group(2));
    }

    /** Removes mid-epoch (stop) checkpoints of epochs up to {@code epoch}: a later epoch checkpoint supersedes them. */
    public void deleteStopsBefore(int epoch) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path p : entries.toList()) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && m.group(2) != null && Integer.parseInt(m.group(1)) <= epoch) {
                    FileTrees.delete(p);
                }
            }
        }
    }

    public static CheckpointState readState(Path checkpoint) throws IOException {
        String json = Files.readString(checkpoint.resolve(STATE_FILE), StandardCharsets.UTF_8);
        CheckpointState state;
        try {
            state = Json.pretty().fromJson(json, CheckpointState.class);
        } catch (RuntimeException e) {
            throw new IOException("unreadable " + STATE_FILE + " in " + checkpoint + ": " + e.getMessage(), e);
        }
        if (state == null || state.formatVersion() != CheckpointState.FORMAT_VERSION) {
            throw new IOException("unsupported checkpoint format in " + checkpoint);
        }
        return state;
    }

    /**
     * Loads the saved parameters into an initialised block, keeping them trainable (DJL's load
     * replaces the arrays and drops the gradient flag) and closing the replaced arrays.
     */
    public static void loadParameters(Path checkpoint, Block block, NDManager manager) throws IOException {
        List<NDArray> replaced = new ArrayList<>();
        for (Parameter p : block.getParameters().values()) {
            if (p.isInitialized()) {
                replaced.add(p.getArray());
            }
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                Files.newInputStream(checkpoint.resolve(PARAMETERS_FILE))))) {
            block.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IOException("bad parameters in " + checkpoint + ": " + e.getMessage(), e);
        }
        for (Parameter p : block.getParameters().values()) {
            if (p.requiresGradient()) {
                p.getArray().setRequiresGradient(true);
            }
        }
        replaced.forEach(NDArray::close);
    }

    public static void loadOptimizer(Path checkpoint, ParameterOptimizer optimizer, long updates, NDManager manager)
            throws IOException {
        if (updates == 0) {
            // no update yet (fp16 skips the steps whose gradients overflow): the optimizer has no
            // state, and the empty list written for it does not decode
            return;
        }
        try (NDManager scratch = manager.newSubManager();
             InputStream in = new BufferedInputStream(Files.newInputStream(checkpoint.resolve(OPTIMIZER_FILE)))) {
            optimizer.restore(NDList.decode(scratch, in), updates);
        }
    }

}
