package io.roentgen.engine;

/** One GPU as the CUDA driver reports it. Memory in bytes; free memory is -1 when unknown. */
public record GpuInfo(int id, String name, int computeMajor, int computeMinor, long totalMemory, long freeMemory) {

    public String computeCapability() {
        return computeMajor + "." + computeMinor;
    }
}
