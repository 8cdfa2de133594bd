package io.roentgen.models.precision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.GpuInfo;
import io.roentgen.engine.torch.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --precision auto} from CPU flags and GPU compute capability; explicit values as given. */
class PrecisionChoiceTest {
    @TempDir
    Path directory;

    @BeforeAll
    static void loadEngine() {
        EngineSettings.fromEnvironment().apply();
    }

    @Test
    void autoPicksBf16WhereTheCpuComputesItNatively() {
        assertEquals(Precision.BF16, PrecisionChoice.auto(Set.of("avx512f", "amx_bf16", "amx_tile"), List.of(), -1).precision());
        PrecisionChoice zen = PrecisionChoice.auto(Set.of("avx512f", "avx512_bf16"), List.of(), -1);
        assertEquals(Precision.BF16, zen.precision());
        assertEquals("bf16 (auto: the CPU has avx512_bf16)", zen.describe());
        assertEquals(Precision.FP32, PrecisionChoice.auto(Set.of("avx2", "avx512f"), List.of(), -1).precision());
    }

    @Test
    void autoPicksBf16OnGpusOfComputeCapability8AndAbove() {
        List<GpuInfo> gpus = List.of(new GpuInfo(0, "Tesla T4", 7, 5, 1, 1), new GpuInfo(1, "NVIDIA H100", 9, 0, 1, 1));
        assertEquals(Precision.FP32, PrecisionChoice.auto(null, gpus, 0).precision());
        assertEquals(Precision.BF16, PrecisionChoice.auto(null, gpus, 1).precision());
        assertEquals(Precision.FP32, PrecisionChoice.auto(null, gpus, 2).precision());
    }

    @Test
    void cpuFlagsComeFromProcCpuinfo() throws Exception {
        Path cpuinfo = directory.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nmodel name\t: x\nflags\t\t: fpu avx512f avx512_bf16\n\nprocessor\t: 1\n");
        assertEquals(Set.of("fpu", "avx512f", "avx512_bf16"), PrecisionChoice.cpuFlags(cpuinfo));
        assertEquals(Set.of(), PrecisionChoice.cpuFlags(directory.resolve("missing")));
    }

    @Test
    void explicitValuesAreTakenAsGivenAndOthersRefused() {
        assertEquals(Precision.FP16, PrecisionChoice.resolve("FP16", Device.cpu()).precision());
        assertEquals(Precision.FP32, PrecisionChoice.resolve("fp32", Device.cpu()).precision());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrecisionChoice.resolve("int8", Device.cpu()));
        assertTrue(e.getMessage().contains("int8"));
        // auto on this machine: whatever it picks, it says why
        assertTrue(PrecisionChoice.resolve("auto", Device.cpu()).reason().startsWith("auto: "));
    }
}
