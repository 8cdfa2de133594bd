package io.roentgen.dicom.image;

import java.util.List;

/**
 * Per-channel {@code (x - mean) / std}. One value each applies to every channel.
 *
 * @param mean per channel, or one for all
 * @param std per channel, or one for all; every value positive
 */
public record Normalization(List<Float> mean, List<Float> std) {
    public Normalization {
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        if (mean.isEmpty() || mean.size() != std.size()) {
            throw new IllegalArgumentException("normalisation needs as many means as stds, at least one");
        }
        for (float s : std) {
            if (!(s > 0) || Float.isInfinite(s)) {
                throw new IllegalArgumentException("normalisation std must be positive and finite, not " + s);
            }
        }
    }

    /** The ImageNet RGB statistics most pretrained backbones expect. */
    public static Normalization imagenet() {
        return new Normalization(List.of(0.485f, 0.456f, 0.406f), List.of(0.229f, 0.224f, 0.225f));
    }

    public FloatImage apply(FloatImage image) {
        if (mean.size() != 1 && mean.size() != image.channels()) {
            throw new IllegalArgumentException(mean.size() + " normalisation values for " + image.channels() + " channels");
        }
        FloatImage out = FloatImage.zeros(image.channels(), image.height(), image.width());
        float[] in = image.data();
        float[] result = out.data();
        int plane = image.planeSize();
        for (int c = 0; c < image.channels(); c++) {
            int k = mean.size() == 1 ? 0 : c;
            float shift = mean.get(k);
            float divisor = std.get(k);
            int base = c * plane;
            for (int i = base; i < base + plane; i++) {
                // Divide, not multiply by the reciprocal: bit-identical to torchvision's Normalize.
                result[i] = (in[i] - shift) / divisor;
            }
        }
        return out;
    }
}
