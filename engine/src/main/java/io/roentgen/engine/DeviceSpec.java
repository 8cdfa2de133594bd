package io.roentgen.engine;

import ai.djl.Device;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which devices a command runs on, as the user writes it: {@code auto} (every GPU, else the CPU),
 * {@code cpu}, {@code gpu} (every GPU, and at least one must exist), {@code gpu:1}, {@code gpu:0,1}.
 * Parsing checks the syntax; {@link #resolve(int)} checks the GPUs against what exists.
 */
public final class DeviceSpec {
    private enum Kind { AUTO, CPU, ALL_GPUS, GPU_LIST }

    private final Kind kind;
    private final List<Integer> gpuIds;
    private final String text;

    private DeviceSpec(Kind kind, List<Integer> gpuIds, String text) {
        this.kind = kind;
        this.gpuIds = List.copyOf(gpuIds);
        this.text = text;
    }

    public static DeviceSpec auto() {
        return new DeviceSpec(Kind.AUTO, List.of(), "auto");
    }

    public static DeviceSpec cpu() {
        return new DeviceSpec(Kind.CPU, List.of(), "cpu");
    }

    /** Parses a device string; a malformed one is a usage error that shows the accepted forms. */
    public static DeviceSpec parse(String text) throws RoentgenException {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "auto":
                return auto();
            case "cpu":
                return cpu();
            case "gpu":
            case "cuda":
                return new DeviceSpec(Kind.ALL_GPUS, List.of(), "gpu");
            default:
                break;
        }
        if (s.startsWith("gpu:") || s.startsWith("cuda:")) {
            List<Integer> ids = parseIds(text, s.substring(s.indexOf(':') + 1));
            return new DeviceSpec(Kind.GPU_LIST, ids, "gpu:" + joinIds(ids));
        }
        throw RoentgenException.usage(badSpec(text));
    }

    private static List<Integer> parseIds(String original, String list) throws RoentgenException {
        Set<Integer> ids = new LinkedHashSet<>();
        for (String part : list.split(",", -1)) {
            try {
                int id = Integer.parseInt(part.trim());
                if (id < 0) {
                    throw new NumberFormatException();
                }
                if (!ids.add(id)) {
                    throw RoentgenException.usage("device '" + original + "' names gpu " + id + " twice");
                }
            } catch (NumberFormatException e) {
                throw RoentgenException.usage(badSpec(original));
            }
        }
        return new ArrayList<>(ids);
    }

    private static String badSpec(String text) {
        return "unknown device '" + text + "': use auto, cpu, gpu, gpu:N or gpu:N,M";
    }

    /**
     * The DJL devices this spec means on a machine with {@code gpuCount} GPUs.
     *
     * @throws RoentgenException when a named GPU does not exist; the message lists what exists
     */
    public List<Device> resolve(int gpuCount) throws RoentgenException {
        switch (kind) {
            case CPU:
                return List.of(Device.cpu());
            case AUTO:
                return gpuCount > 0 ? allGpus(gpuCount) : List.of(Device.cpu());
            case ALL_GPUS:
                if (gpuCount == 0) {
                    throw new RoentgenException("device 'gpu' asked for, but " + available(gpuCount));
                }
                return allGpus(gpuCount);
            default:
                List<Device> devices = new ArrayList<>();
                for (int id : gpuIds) {
                    if (id >= gpuCount) {
                        throw new RoentgenException("gpu " + id + " does not exist: " + available(gpuCount));
                    }
                    devices.add(Device.gpu(id));
                }
                return devices;
        }
    }

    private static List<Device> allGpus(int count) {
        List<Device> devices = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            devices.add(Device.gpu(i));
        }
        return devices;
    }

    private static String available(int gpuCount) {
        if (gpuCount == 0) {
            return "this machine has no usable GPU (devices: cpu)";
        }
        StringBuilder sb = new StringBuilder("devices: cpu");
        for (int i = 0; i < gpuCount; i++) {
            sb.append(", gpu:").append(i);
        }
        return sb.toString();
    }

    private static String joinIds(List<Integer> ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            sb.append(sb.length() == 0 ? "" : ",").append(id);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
