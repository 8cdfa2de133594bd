package io.roentgen.models.report;

import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Charts to images and PNG files: several charts side by side in one image, written atomically.
 * Headless: no display is ever needed.
 */
public final class ChartFiles {
    /** Series colours, in order (matplotlib's tab10). */
    public static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
    };

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private ChartFiles() {}

    /** The charts drawn left to right, each given an equal share of the width. */
    public static BufferedImage sideBySide(int width, int height, JFreeChart... charts) {
        return sideBySide(width, height, new ChartRenderingInfo[charts.length], charts);
    }

    /** As {@link #sideBySide(int, int, JFreeChart...)}, filling {@code infos[i]} where it is not null. */
    static BufferedImage sideBySide(int width, int height, ChartRenderingInfo[] infos, JFreeChart... charts) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < charts.length; i++) {
            int left = width * i / charts.length;
            int right = width * (i + 1) / charts.length;
            charts[i].draw(g, new Rectangle2D.Double(left, 0, right - left, height), infos[i]);
        }
        g.dispose();
        return image;
    }

    /** Writes beside the target and renames, so a viewer never sees half a PNG. */
    public static void writePng(BufferedImage image, Path target) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            // Through an OutputStream: ImageIO.write(File) prints a stack trace to stderr when the
            // file cannot be created; this way the caller gets a plain IOException to report.
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary))) {
                if (!ImageIO.write(image, "png", out)) {
                    throw new IOException("no PNG writer available");
                }
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
