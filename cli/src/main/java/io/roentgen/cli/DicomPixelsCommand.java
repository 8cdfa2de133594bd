package io.roentgen.cli;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.pixel.DicomPixels;
import io.roentgen.dicom.pixel.Frame;
import io.roentgen.dicom.pixel.NpyWriter;
import io.roentgen.dicom.pixel.PixelAttributes;
import io.roentgen.dicom.image.Windowing;
import io.roentgen.engine.RoentgenException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code roentgen dicom pixels}: decoded stored values as a NumPy .npy file, shape (frames, rows,
 * cols) or (frames, rows, cols, 3), dtype from Bits Allocated and Pixel Representation; with
 * --rescaled, float32 modality values (e.g. Hounsfield units).
 */
@Command(
        name = "pixels",
        mixinStandardHelpOptions = true,
        description = "Write the decoded pixel values of a DICOM file as a NumPy .npy file.",
        footer = {"", "Examples:", "  roentgen dicom pixels ct.dcm -o ct.npy", "  roentgen dicom pixels ct.dcm -o hu.npy --rescaled",
            "  roentgen dicom pixels cine.dcm -o frame3.npy --frame 3",
            "", "Read it in Python: numpy.load('ct.npy')  # shape (frames, rows, cols[, 3])"})
final class DicomPixelsCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "FILE", description = "A DICOM file.")
    Path file;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.npy", description = "The .npy file to write.")
    Path output;

    @Option(names = "--frame", paramLabel = "N", description = "Only frame N (0-based); the shape keeps its frame axis of 1.")
    Integer frame;

    @Option(names = "--rescaled", description = "Write float32 modality values (Rescale Slope/Intercept applied) instead of stored values.")
    boolean rescaled;

    @Override
    public Integer call() throws RoentgenException {
        DicomObject dicom = DicomFiles.read(file, DicomReader.defaults());
        try {
            List<Frame> frames = decode(dicom);
            if (rescaled) {
                writeRescaled(frames, DicomPixels.attributes(dicom));
            } else {
                NpyWriter.writeStored(output, frames);
            }
        } catch (DicomException e) {
            throw new RoentgenException(file + ": " + e.getMessage(), false, e);
        } catch (IOException e) {
            throw new RoentgenException(output + ": cannot write: " + e.getMessage(), false, e);
        }
        return 0;
    }

    private List<Frame> decode(DicomObject dicom) throws DicomException, RoentgenException {
        int count = DicomPixels.frameCount(dicom);
        if (frame != null) {
            if (frame < 0 || frame >= count) {
                throw RoentgenException.usage("--frame " + frame + " does not exist: " + file + " has frames 0 to " + (count - 1));
            }
            return List.of(DicomPixels.frame(dicom, frame));
        }
        ExecutorService pool = count > 1 ? Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors()) : null;
        try {
            return DicomPixels.frames(dicom, pool);
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private void writeRescaled(List<Frame> frames, PixelAttributes attributes) throws DicomException, IOException, RoentgenException {
        Frame first = frames.get(0);
        if (!first.isMonochrome()) {
            throw RoentgenException.usage("--rescaled applies to monochrome images; " + file + " is " + first.photometric());
        }
        int perFrame = first.rows() * first.columns();
        float[] all = new float[Math.multiplyExact(perFrame, frames.size())];
        for (int i = 0; i < frames.size(); i++) {
            System.arraycopy(Windowing.modalityValues(frames.get(i), attributes), 0, all, i * perFrame, perFrame);
        }
        NpyWriter.writeFloat32(output, all, frames.size(), first.rows(), first.columns());
    }
}
