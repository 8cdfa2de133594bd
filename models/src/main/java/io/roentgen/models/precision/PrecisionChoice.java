package io.roentgen.models.precision;

import ai.djl.Device;
import io.roentgen.engine.CudaDriverProbe;
import io.roentgen.engine.GpuInfo;
import io.roentgen.engine.torch.Autocast;
import io.roentgen.engine.torch.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The precision a run computes in and why: the {@code --precision} flag resolved for a device.
 * {@code auto} picks bf16 where the hardware computes it natively (a CPU with AMX or AVX512-BF16,
 * a GPU of compute capability 8.0 or above) and fp32 elsewhere; the load-time agreement check
 * ({@link AgreementCheck}) still has the last word.
 */
public record PrecisionChoice(Precision precision, String reason) {

    /** The flag's accepted values, for help texts. */
    public static final String FLAG_VALUES = "fp32, bf16, fp16 or auto";

    /** Resolves a {@code --precision} value for {@code device} on this machine. */
    public static PrecisionChoice resolve(String flag, Device device) {
        if (!"auto".equalsIgnoreCase(flag.trim())) {
            return new PrecisionChoice(Precision.parse(flag), "asked for");
        }
        boolean gpu = Device.Type.GPU.equals(device.getDeviceType());
        return auto(gpu ? null : cpuFlags(Path.of("/proc/cpuinfo")),
                gpu ? CudaDriverProbe.probe().gpus() : List.of(), gpu ? device.getDeviceId() : -1);
    }

    /**
     * The automatic choice from the CPU's flags (null: a GPU device) or the GPU's compute
     * capability ({@code gpuId} among {@code gpus}).
     */
    static PrecisionChoice auto(Set<String> cpuFlags, List<GpuInfo> gpus, int gpuId) {
        if (!Autocast.available()) {
            return new PrecisionChoice(Precision.FP32, "auto: libtorch's autocast is not reachable");
        }
        if (cpuFlags == null) {
            for (GpuInfo gpu : gpus) {
                if (gpu.id() == gpuId) {
                    return gpu.computeMajor() >= 8
                            ? new PrecisionChoice(Precision.BF16, "auto: GPU " + gpu.name() + " has compute capability "
                                    + gpu.computeCapability() + " (>= 8.0, native bf16)")
                            : new PrecisionChoice(Precision.FP32, "auto: GPU " + gpu.name() + " has compute capability "
                                    + gpu.computeCapability() + " (< 8.0, no native bf16)");
                }
            }
            return new PrecisionChoice(Precision.FP32, "auto: the GPU's compute capability is unknown");
        }
        for (String flag : List.of("amx_bf16", "avx512_bf16")) {
            if (cpuFlags.contains(flag)) {
                return new PrecisionChoice(Precision.BF16, "auto: the CPU has " + flag);
            }
        }
        return new PrecisionChoice(Precision.FP32, "auto: the CPU has neither amx_bf16 nor avx512_bf16");
    }

    /** The flags of the first processor in a /proc/cpuinfo file; empty where it cannot be read. */
    static Set<String> cpuFlags(Path cpuinfo) {
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("flags")) {
                    String list = line.substring(line.indexOf(':') + 1).trim().toLowerCase(Locale.ROOT);
                    return new HashSet<>(List.of(list.split("\\s+")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an unreadable file: nothing known, so fp32
        }
        return Set.of();
    }

    /** One line: "bf16 (auto: the CPU has avx512_bf16)". */
    public String describe() {
        return precision.flagName() + " (" + reason + ")";
    }
}
