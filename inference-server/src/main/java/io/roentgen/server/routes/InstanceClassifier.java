package io.roentgen.server.routes;

import io.roentgen.dicom.DecodeTimeoutException;
import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.MemoryExhaustedException;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.UnsupportedTransferSyntaxException;
import io.roentgen.dicom.codec.DecodeDeadline;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.image.Preprocessing;
import io.roentgen.dicom.sr.SourceImage;
import io.roentgen.models.ModelCard;
import io.roentgen.models.explain.ExplanationDicom;
import io.roentgen.server.admission.MemoryBudget;
import io.roentgen.server.admission.MemoryRefusedException;
import io.roentgen.server.batching.BatchFailure;
import io.roentgen.server.batching.Prediction;
import io.roentgen.server.http.ApiException;
import io.roentgen.server.export.StudyReports;
import io.roentgen.server.repository.ModelRepository;
import io.roentgen.server.repository.RepositoryException;
import io.roentgen.server.repository.ServedModel;
import io.roentgen.server.results.InstanceResult;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * DICOM bytes to a classification: parse and preprocess on the calling (request) thread with the
 * model's own {@code PreprocessingSpec}, then hand the image to the model's batcher.
 */
final class InstanceClassifier {
    private final ModelRepository repository;
    private final long timeoutNanos;

    InstanceClassifier(ModelRepository repository, long timeoutMillis) {
        this.repository = repository;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    long deadline() {
        return System.nanoTime() + timeoutNanos;
    }

    /**
     * Parses an instance; malformed DICOM is rejected with the reader's message (400, C000). An
     * inflated data set is taken from the request's memory budget as it grows (503, A700).
     */
    static DicomObject parse(byte[] bytes, MemoryBudget.Reservation memory) throws RejectedInstance {
        DicomReader reader = DicomReader.builder().memoryGate(more -> {
            if (!memory.tryGrow(more)) {
                throw new MemoryExhaustedException("no memory to inflate the data set now");
            }
        }).build();
        try {
            return reader.read(bytes);
        } catch (MemoryExhaustedException e) {
            throw outOfMemory(e.getMessage());
        } catch (DicomException e) {
            throw new RejectedInstance(400, RejectedInstance.CANNOT_UNDERSTAND, "malformed DICOM: " + e.getMessage());
        }
    }

    /** Parses and preprocesses; see {@link #prepare(ServedModel, DicomObject, MemoryBudget.Reservation, long)}. */
    PreparedInstance prepare(ServedModel model, byte[] bytes, MemoryBudget.Reservation memory, long deadline)
            throws RejectedInstance {
        return prepare(model, parse(bytes, memory), memory, deadline);
    }

    /**
     * The model input for frame 0 of an instance.
     *
     * @throws RejectedInstance 422 for an instance without pixel data (0122) or in a transfer
     *                          syntax no decoder handles (C122); 400 for undecodable pixel data
     */
    PreparedInstance prepare(ServedModel model, DicomObject dicom, MemoryBudget.Reservation memory, long deadline)
            throws RejectedInstance {
        if (!dicom.contains(Tag.PixelData)) {
            throw new RejectedInstance(422, RejectedInstance.SOP_CLASS_NOT_SUPPORTED, "the instance has no pixel data");
        }
        long decode = decodeBytes(dicom, model.card());
        if (!memory.tryGrow(decode)) {
            MemoryRefusedException refusal = memory.refusal(decode);
            throw new RejectedInstance(FailureStatus.of(refusal).status(), RejectedInstance.OUT_OF_RESOURCES, "decoding a frame of "
                    + dicom.getInt(Tag.Rows, 0) + " x " + dicom.getInt(Tag.Columns, 0) + ": " + refusal.getMessage());
        }
        FloatImage image;
        try (DecodeDeadline.Scope decoding = DecodeDeadline.until(deadline)) {
            image = Preprocessing.of(model.preprocessing()).apply(dicom, 0);
        } catch (DecodeTimeoutException e) {
            // The request's deadline covers decoding too: a pathological frame frees its thread.
            throw new RejectedInstance(504, RejectedInstance.PROCESSING_FAILURE, "decoding did not finish within the request timeout");
        } catch (UnsupportedTransferSyntaxException e) {
            throw new RejectedInstance(422, RejectedInstance.TRANSFER_SYNTAX_NOT_SUPPORTED, "unsupported transfer syntax: " + e.getMessage());
        } catch (DicomException e) {
            throw new RejectedInstance(400, RejectedInstance.CANNOT_UNDERSTAND, "cannot decode the pixel data: " + e.getMessage());
        } catch (RuntimeException e) {
            // The pixel pipeline signals impossible geometry or values with IllegalArgumentException.
            throw new RejectedInstance(422, RejectedInstance.CANNOT_UNDERSTAND, "cannot preprocess the pixel data: " + e.getMessage());
        }
        ModelCard card = model.card();
        if (image.channels() != card.channels() || image.height() != card.height() || image.width() != card.width()) {
            throw new RejectedInstance(422, RejectedInstance.CANNOT_UNDERSTAND, "preprocessing gave " + image + " but model '"
                    + card.name() + "' takes " + card.channels() + "x" + card.height() + "x" + card.width());
        }
        return new PreparedInstance(sopClassUid(dicom), sopInstanceUid(dicom), dicom.getString(Tag.SeriesInstanceUID, ""),
                dicom.getString(Tag.StudyInstanceUID, ""), image, reportSource(dicom), ExplanationDicom.header(dicom));
    }

    /** What an SR needs of the instance, or null when it lacks a UID that a report must reference. */
    private static SourceImage reportSource(DicomObject dicom) {
        try {
            return SourceImage.of(dicom);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The scored instances an SR can report (those with the UIDs it references). */
    static List<StudyReports.Scored> reportable(List<PreparedInstance> instances, List<Prediction> predictions) {
        List<StudyReports.Scored> out = new java.util.ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
            if (instances.get(i).source() != null) {
                out.add(new StudyReports.Scored(instances.get(i).source(), predictions.get(i).scores()));
            }
        }
        return out;
    }

    /**
     * Memory a decode of frame 0 takes at the sizes the header declares, before any of it is
     * allocated: the stored frame, its float copy, and the model input twice (resize and normalise).
     */
    static long decodeBytes(DicomObject dicom, ModelCard card) {
        long pixels = (long) dicom.getInt(Tag.Rows, 0) * dicom.getInt(Tag.Columns, 0)
                * Math.max(1, dicom.getInt(Tag.SamplesPerPixel, 1));
        long stored = pixels * Math.max(1, (dicom.getInt(Tag.BitsAllocated, 16) + 7) / 8);
        long input = 4L * card.channels() * card.height() * card.width();
        return stored + 4 * pixels + 2 * input;
    }

    private static RejectedInstance outOfMemory(String why) {
        return new RejectedInstance(503, RejectedInstance.OUT_OF_RESOURCES, why + "; retry shortly");
    }

    static String sopClassUid(DicomObject dicom) {
        DicomObject meta = dicom.fileMeta();
        return dicom.getString(Tag.SOPClassUID, meta == null ? "" : meta.getString(Tag.MediaStorageSOPClassUID, ""));
    }

    static String sopInstanceUid(DicomObject dicom) {
        DicomObject meta = dicom.fileMeta();
        return dicom.getString(Tag.SOPInstanceUID, meta == null ? "" : meta.getString(Tag.MediaStorageSOPInstanceUID, ""));
    }

    CompletableFuture<Prediction> submit(ServedModel model, PreparedInstance instance, long deadline) throws ApiException {
        try {
            return repository.submit(model.name(), null, instance.image(), deadline);
        } catch (RepositoryException e) {
            throw FailureStatus.of(e);
        } catch (BatchFailure e) {
            throw FailureStatus.of(e);
        }
    }

    /** Waits for a submitted prediction until {@code deadline}; 504 past it, 500 for non-finite scores. */
    static Prediction await(CompletableFuture<Prediction> future, long deadline, String model) throws ApiException {
        try {
            Prediction prediction = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (!allFinite(prediction.scores().probabilities())) {
                throw new ApiException(500, "model '" + model + "' gave non-finite scores (NaN or infinity) for this input");
            }
            return prediction;
        } catch (TimeoutException e) {
            future.cancel(false);
            throw FailureStatus.deadlinePassed(model);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BatchFailure failure) {
                throw FailureStatus.of(failure);
            }
            throw new ApiException(500, "prediction failed: " + e.getCause(), 0, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "the server is shutting down", 1, e);
        }
    }

    private static boolean allFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** The answer for one instance: UIDs, label, score and threshold per class, model, timings. */
    static InstanceResult result(PreparedInstance instance, Prediction prediction) {
        return InstanceResult.of(instance.sopInstanceUid(), instance.seriesUid(), instance.studyUid(), prediction);
    }
}
