package io.roentgen.models.arch;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/**
 * The inference form of a trained Roentgen network: the same function, less work per forward
 * pass, as every production runtime does it.
 * <ul>
 *   <li>each convolution directly followed by a batch norm becomes one convolution with bias
 *       ({@link FoldedConvolution}): all of ResNet's and MobileNetV2's, SmallCnn's, and DenseNet's
 *       stem and bottleneck ({@code norm2}) norms; a norm that follows a ReLU or a concatenation
 *       (DenseNet's {@code norm1}, transitions, {@code norm5}) stays as it is;
 *   <li>residual sums add into the main path's fresh output instead of a new array;
 *   <li>dense blocks write into one buffer instead of concatenating after every layer
 *       ({@link SharedBufferDenseBlock}); the norm that starts each dense layer, which reads a
 *       strided slice of that buffer, becomes a per-channel affine map ({@link AffineBatchNorm}).
 * </ul>
 * The trained block and its parameters are not changed (layers that are not folded are shared
 * with it), so saving it still writes the trained weights, and training goes on with it as
 * before. The result only runs with {@code training = false}.
 */
public final class InferenceBlocks {

    private InferenceBlocks() {}

    /**
     * An inference-only network computing what {@code trained} computes in inference mode.
     *
     * @param trained an initialised (or loaded) network built by {@link Architectures}
     * @param manager holds the folded weights; the caller keeps it open while the result is used
     */
    public static Block forInference(Block trained, NDManager manager) {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return transform(trained, manager);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    private static Block transform(Block block, NDManager manager) {
        return transform(block, manager, false);
    }

    /** @param inDenseLayer whether the block is (inside) a dense layer, whose leading norm reads a buffer slice */
    private static Block transform(Block block, NDManager manager, boolean inDenseLayer) {
        if (block instanceof SequentialBlock sequential) {
            return sequence(sequential, manager, inDenseLayer);
        }
        if (block instanceof ResidualBlock residual) {
            return residual(residual, manager);
        }
        if (block instanceof DenseBlock dense) {
            List<Block> layers = new ArrayList<>();
            for (Block layer : dense.layers()) {
                layers.add(transform(layer, manager, true));
            }
            return new SharedBufferDenseBlock(dense, layers);
        }
        if (inDenseLayer && block instanceof BatchNorm2d norm) {
            return AffineBatchNorm.of(norm, manager); // faster than batch norm on a strided slice
        }
        // A layer (convolution, norm, linear, pooling, activation): used as it is.
        return block;
    }

    private static Block sequence(SequentialBlock sequential, NDManager manager, boolean inDenseLayer) {
        List<String> names = new ArrayList<>(sequential.getChildren().keys());
        List<Block> children = sequential.getChildren().values();
        List<String> outNames = new ArrayList<>();
        List<Block> out = transformAll(names, children, manager, outNames, inDenseLayer);
        NamedSequentialBlock result = new NamedSequentialBlock();
        for (int i = 0; i < out.size(); i++) {
            result.add(outNames.get(i), out.get(i));
        }
        return result;
    }

    private static Block residual(ResidualBlock residual, NDManager manager) {
        List<Block> main = residual.mainPath();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < main.size(); i++) {
            names.add(residual.getChildren().keys().get(i));
        }
        List<String> outNames = new ArrayList<>();
        List<Block> out = transformAll(names, main, manager, outNames, false);
        ResidualBlock result = new ResidualBlock(residual.afterSum());
        for (int i = 0; i < out.size(); i++) {
            result.addToMainPath(outNames.get(i), out.get(i));
        }
        if (residual.shortcut() != null) {
            result.setShortcut("downsample", transform(residual.shortcut(), manager));
        }
        return result;
    }

    /** Transforms a chain of layers, folding each convolution + batch norm pair into one layer. */
    private static List<Block> transformAll(List<String> names, List<Block> chain, NDManager manager,
            List<String> outNames, boolean inDenseLayer) {
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            Block block = chain.get(i);
            Block next = i + 1 < chain.size() ? chain.get(i + 1) : null;
            if (block instanceof Convolution conv && next instanceof BatchNorm2d bn && isConv2d(conv)) {
                out.add(FoldedConvolution.fold(conv, bn, manager));
                outNames.add(plain(names.get(i)) + "+" + plain(names.get(i + 1)));
                i++;
            } else {
                out.add(transform(block, manager, inDenseLayer));
                outNames.add(plain(names.get(i)));
            }
        }
        return out;
    }

    private static boolean isConv2d(Convolution conv) {
        return conv.getKernelShape().dimension() == 2;
    }

    /** DJL prefixes a child's name with its two-digit position ({@code 01conv1}). */
    private static String plain(String childName) {
        return childName.length() > 2 && Character.isDigit(childName.charAt(0)) && Character.isDigit(childName.charAt(1))
                ? childName.substring(2) : childName;
    }
}
