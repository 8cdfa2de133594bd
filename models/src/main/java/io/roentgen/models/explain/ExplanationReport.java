package io.roentgen.models.explain;

import java.util.List;

/**
 * One explanation for machines (the CLI's {@code --json}, the server's answer, the side-car JSON):
 * the scores, what was explained and the raw map at the layer's resolution.
 *
 * @param source        the file explained (null where there is none, as in the server)
 * @param labels        the model's labels, in output order
 * @param probabilities one per label
 * @param predicted     the labels called positive
 * @param label         the explained class
 * @param method        {@code gradcam} or {@code gradcam++}
 * @param layer         the target layer
 * @param mapHeight     rows of the raw map
 * @param mapWidth      columns of the raw map
 * @param rawMax        the raw map's maximum (0: no evidence)
 * @param rawMap        the raw map, row-major, unscaled
 */
public record ExplanationReport(String source, List<String> labels, float[] probabilities, List<String> predicted,
        String label, String method, String layer, int mapHeight, int mapWidth, float rawMax, float[] rawMap) {

    public static ExplanationReport of(String source, Explanation e) {
        RawCam raw = e.raw();
        return new ExplanationReport(source, e.scores().labels(), e.scores().probabilities(), e.scores().predicted(),
                e.label(), e.method().id(), e.layer(), raw.height(), raw.width(), raw.max(), raw.map());
    }
}
