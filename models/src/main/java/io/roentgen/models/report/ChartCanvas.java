package io.roentgen.models.report;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A white, anti-aliased Java2D canvas with a centred title; written as PNG atomically. */
final class ChartCanvas {
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private ChartCanvas() {}

    static BufferedImage create(int width, int height) {
        return new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    }

    static Graphics2D graphics(BufferedImage image, String title) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(TITLE);
        g.drawString(title, (image.getWidth() - g.getFontMetrics().stringWidth(title)) / 2, 26);
        g.setFont(TEXT);
        return g;
    }

    /** Writes beside the target and renames, so a viewer never sees half a PNG. */
    static void write(BufferedImage image, Path target) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        if (!ImageIO.write(image, "png", temporary.toFile())) {
            throw new IOException("no PNG writer available");
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
