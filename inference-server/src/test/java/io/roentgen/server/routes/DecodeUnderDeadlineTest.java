package io.roentgen.server.routes;

import ai.djl.Device;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.models.ModelCard;
import io.roentgen.server.admission.MemoryBudget;
import io.roentgen.server.repository.ServedModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pixel decoding runs under the request's deadline: past it, the instance is a 504 and no decoder keeps running. */
class DecodeUnderDeadlineTest {
    private static final Path J2K = Path.of("..", "dicom", "src", "test", "resources", "fixtures", "jpeg2000",
            "gray8_64x48.gdcm.dcm");

    private final ServedModel model = new ServedModel("m", "1", Path.of("."),
            new ModelCard("m", "1", "test", List.of("a", "b"), false, 1, 64, 64, new float[] {0.5f, 0.5f}),
            PreprocessingSpec.standard(64, 1), Device.cpu(), null);
    private final InstanceClassifier classifier = new InstanceClassifier(null, 30_000);

    @Test
    void aDecodePastTheDeadlineIs504() throws Exception {
        byte[] bytes = Files.readAllBytes(J2K);
        try (MemoryBudget.Reservation memory = new MemoryBudget(1L << 30).open()) {
            RejectedInstance late = assertThrows(RejectedInstance.class,
                    () -> classifier.prepare(model, bytes, memory, System.nanoTime() - 1));
            assertEquals(504, late.toApiException().status());
            assertTrue(late.getMessage().contains("decoding did not finish"), late.getMessage());
            PreparedInstance inTime = classifier.prepare(model, bytes, memory, System.nanoTime() + 30_000_000_000L);
            assertEquals(64, inTime.image().width());
        }
    }
}
