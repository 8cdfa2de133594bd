package io.roentgen.dicom.image;

/** Brightness, contrast and gamma changes applied sample by sample. */
final class IntensityJitter {
    private IntensityJitter() {}

    /**
     * Per channel: {@code x -> (x - mean) * contrast + mean + brightness}, then {@code x -> x^gamma}
     * for positive {@code x} (gamma 1 skips it).
     */
    static FloatImage apply(FloatImage image, float brightness, float contrast, float gamma) {
        FloatImage out = FloatImage.zeros(image.channels(), image.height(), image.width());
        float[] in = image.data();
        float[] result = out.data();
        int plane = image.planeSize();
        for (int c = 0; c < image.channels(); c++) {
            int base = c * plane;
            float mean = mean(in, base, plane);
            float offset = mean - mean * contrast + brightness;
            for (int i = base; i < base + plane; i++) {
                result[i] = in[i] * contrast + offset;
            }
            if (gamma != 1f) {
                for (int i = base; i < base + plane; i++) {
                    if (result[i] > 0) {
                        result[i] = (float) Math.pow(result[i], gamma);
                    }
                }
            }
        }
        return out;
    }

    private static float mean(float[] values, int from, int count) {
        double sum = 0;
        for (int i = from; i < from + count; i++) {
            sum += values[i];
        }
        return (float) (sum / count);
    }
}
