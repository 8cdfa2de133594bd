package io.roentgen.models.precision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.RoentgenException;
import io.roentgen.engine.torch.Precision;
import io.roentgen.models.Classifier;
import io.roentgen.models.Scores;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;
import io.roentgen.models.bundle.ModelBundle;
import io.roentgen.models.bundle.Provenance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bf16 inference under libtorch's autocast against fp32 on the same bundle: the bar
 * (top-1 agreement >= 99.5%, no probability off by more than 0.02 on 500 images), and the
 * load-time check that refuses a precision below its threshold.
 */
class ReducedPrecisionAgreementTest {
    private static final int SIZE = 32;
    private static final int IMAGES = 500;
    private static final List<String> LABELS = List.of("no finding", "finding");
    private static final PrecisionChoice BF16 = new PrecisionChoice(Precision.BF16, "test");

    @TempDir
    Path directory;

    @BeforeAll
    static void loadEngine() {
        EngineSettings.fromEnvironment().apply();
    }

    @Test
    void resnet18WithFixedWeightsAgreesWithFp32InBf16() throws Exception {
        Agreement agreement = bf16AgainstFp32(bundle("resnet18"));
        assertTrue(agreement.within(AgreementThreshold.DEFAULT), agreement.describe());
    }

    @Test
    void theSmallNetworkAgreesWithFp32InBf16() throws Exception {
        Agreement agreement = bf16AgainstFp32(bundle("small"));
        assertTrue(agreement.within(AgreementThreshold.DEFAULT), agreement.describe());
    }

    @Test
    void theLoadTimeCheckRefusesAPrecisionBelowItsThreshold() throws Exception {
        Path bundle = bundle("small");
        try (Classifier fp32 = ModelBundle.load(bundle, Device.cpu())) {
            // bf16 rounds every probability somewhere: no difference at all is a bar it cannot pass
            AgreementThreshold exact = new AgreementThreshold(1.0, 0.0);
            RoentgenException refused = assertThrows(RoentgenException.class,
                    () -> AgreementCheck.apply(fp32, Device.cpu(), BF16, exact));
            assertTrue(refused.getMessage().startsWith("model 'agreement': bf16 refused: top-1 agreement"), refused.getMessage());
            assertTrue(!refused.getMessage().contains("\n"), "one line");
            Classifier accepted = AgreementCheck.apply(fp32, Device.cpu(), BF16);
            assertNotSame(fp32, accepted, "the default threshold accepts bf16 here");
        }
    }

    @Test
    void fp32IsTheClassifierItself() throws Exception {
        try (Classifier fp32 = ModelBundle.load(bundle("small"), Device.cpu())) {
            assertSame(fp32, AgreementCheck.apply(fp32, Device.cpu(), new PrecisionChoice(Precision.FP32, "test")));
        }
    }

    private Agreement bf16AgainstFp32(Path bundle) throws RoentgenException {
        try (Classifier fp32 = ModelBundle.load(bundle, Device.cpu())) {
            Classifier bf16 = AgreementCheck.apply(fp32, Device.cpu(), BF16);
            assertInstanceOf(ReducedPrecisionClassifier.class, bf16);
            List<Scores> reference = new ArrayList<>();
            List<Scores> reduced = new ArrayList<>();
            List<FloatImage> images = images(IMAGES, 5);
            for (int start = 0; start < IMAGES; start += 50) {
                List<FloatImage> batch = images.subList(start, start + 50);
                reference.addAll(fp32.predict(batch));
                reduced.addAll(bf16.predict(batch));
            }
            Agreement agreement = Agreement.of(reference, reduced);
            assertEquals(IMAGES, agreement.images());
            assertTrue(agreement.maxProbabilityDifference() > 0, "bf16 really computed: " + agreement.describe());
            System.out.println("bf16 vs fp32, " + bundle.getFileName() + ": " + agreement.describe());
            return agreement;
        }
    }

    private Path bundle(String architecture) throws RoentgenException {
        ArchitectureSpec spec = ArchitectureSpec.of(architecture, 1, LABELS.size()).withImageSize(SIZE);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(7);
            Block block = Architectures.build(spec);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, SIZE, SIZE));
            return ModelBundle.writer().name("agreement").version("1").architecture(spec).block(block)
                    .preprocessing(PreprocessingSpec.standard(SIZE, 1)).labels(LABELS)
                    .thresholds(new float[] {0.5f, 0.5f}).metrics(Map.of("macroAuroc", 0.5))
                    .provenance(Provenance.ofTraining("amp22", "validation", 7L))
                    .build().writeDirectory(directory.resolve(architecture));
        }
    }

    private static List<FloatImage> images(int n, long seed) {
        Random random = new Random(seed);
        List<FloatImage> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] data = new float[SIZE * SIZE];
            for (int p = 0; p < data.length; p++) {
                data[p] = (float) random.nextGaussian();
            }
            images.add(new FloatImage(data, 1, SIZE, SIZE));
        }
        return images;
    }
}
