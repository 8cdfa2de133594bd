package io.roentgen.models.explain;

/**
 * One image's class activation map at the target layer's resolution, before any resizing or
 * scaling: the number users of pytorch-grad-cam and MONAI ask for and cannot get.
 *
 * @param classIndex the explained class (the logit whose gradient was taken)
 * @param logits     the network's logits for the image, from the same forward pass
 * @param map        {@code relu(sum_k w_k A_k)}, {@code height x width}, row-major; never negative
 * @param height     rows of the target layer's feature map
 * @param width      columns of the target layer's feature map
 */
public record RawCam(int classIndex, float[] logits, float[] map, int height, int width) {

    /** The largest value (0 for a map without evidence). */
    public float max() {
        float max = 0;
        for (float v : map) {
            max = Math.max(max, v);
        }
        return max;
    }
}
