package io.roentgen.engine.chart;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * White, anti-aliased Java2D images holding one or more {@link ChartPanel}s side by side, and
 * their atomic PNG write. Headless: no display is ever needed.
 */
public final class ChartImage {
    /** Series colours, in order (matplotlib's tab10). */
    public static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
    };

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private ChartImage() {}

    /** The panels drawn left to right, each given an equal share of the width. */
    public static BufferedImage sideBySide(int width, int height, ChartPanel... panels) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < panels.length; i++) {
            int left = width * i / panels.length;
            int right = width * (i + 1) / panels.length;
            panels[i].draw(g, new Rectangle(left, 0, right - left, height));
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
