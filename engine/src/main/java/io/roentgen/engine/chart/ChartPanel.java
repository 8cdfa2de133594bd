package io.roentgen.engine.chart;

import java.awt.Graphics2D;
import java.awt.Rectangle;

/** A chart that draws itself into a rectangle of a larger image. */
public interface ChartPanel {
    void draw(Graphics2D g, Rectangle area);
}
