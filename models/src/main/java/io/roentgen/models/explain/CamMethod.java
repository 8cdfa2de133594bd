package io.roentgen.models.explain;

import io.roentgen.engine.RoentgenException;
import java.util.Locale;

/**
 * How the channel weights of a class activation map are computed from the target layer's
 * activations {@code A} (K x H x W) and the gradient {@code dA} of the class logit, with
 * pytorch-grad-cam's formulas (jacobgil, {@code GradCAM} and {@code GradCAMPlusPlus}); the map
 * is then {@code relu(sum_k w_k A_k)} for both. Where MONAI's {@code monai.visualize} differs is
 * written in docs/DECISIONS.md.
 */
public enum CamMethod {
    /** Selvaraju et al.: {@code w_k = mean_ij dA_kij}. */
    GRAD_CAM("gradcam"),
    /**
     * Chattopadhay et al. as pytorch-grad-cam computes it:
     * {@code a_kij = g^2 / (2 g^2 + (sum_ij A_kij) g^3 + 1e-6)} (0 where {@code g = 0}),
     * {@code w_k = sum_ij relu(g_kij) a_kij}.
     */
    GRAD_CAM_PLUS_PLUS("gradcam++");

    private static final double PLUS_PLUS_EPSILON = 1e-6;

    private final String id;

    CamMethod(String id) {
        this.id = id;
    }

    /** The name used by the CLI, the server and in outputs. */
    public String id() {
        return id;
    }

    /** "gradcam" or "gradcam++" (case-insensitive). */
    public static CamMethod parse(String name) throws RoentgenException {
        String wanted = name == null ? "" : name.toLowerCase(Locale.ROOT);
        for (CamMethod m : values()) {
            if (m.id.equals(wanted)) {
                return m;
            }
        }
        throw RoentgenException.usage("unknown explanation method '" + name + "'; known: gradcam, gradcam++");
    }

    /**
     * The raw map of one image: {@code relu(sum_k w_k A_k)}, H x W row-major.
     *
     * @param activations K x H x W, channel-major
     * @param gradients   the same shape: d logit / d activations
     */
    public float[] map(float[] activations, float[] gradients, int channels, int plane) {
        double[] sum = new double[plane];
        for (int k = 0; k < channels; k++) {
            int offset = k * plane;
            double w = weight(activations, gradients, offset, plane);
            for (int p = 0; p < plane; p++) {
                sum[p] += w * activations[offset + p];
            }
        }
        float[] map = new float[plane];
        for (int p = 0; p < plane; p++) {
            map[p] = (float) Math.max(0, sum[p]);
        }
        return map;
    }

    private double weight(float[] a, float[] g, int offset, int plane) {
        if (this == GRAD_CAM) {
            double sum = 0;
            for (int p = 0; p < plane; p++) {
                sum += g[offset + p];
            }
            return sum / plane;
        }
        double sumActivations = 0;
        for (int p = 0; p < plane; p++) {
            sumActivations += a[offset + p];
        }
        double w = 0;
        for (int p = 0; p < plane; p++) {
            double grad = g[offset + p];
            if (grad > 0) { // relu(g) * alpha: zero for g <= 0, and alpha is defined as 0 at g = 0
                double g2 = grad * grad;
                w += grad * g2 / (2 * g2 + sumActivations * g2 * grad + PLUS_PLUS_EPSILON);
            }
        }
        return w;
    }
}
