package io.quarkiverse.ambrosia.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * Horizontal bar charts of medians with min–max whiskers, drawn with Java2D (headless): no plotting library needed.
 */
final class Charts {

    private static final int WIDTH = 1000;
    private static final int BAR = 22;
    private static final int GAP = 8;
    private static final Color BASELINE = new Color(0x9e9e9e);
    private static final Color MEASURED = new Color(0x3f6fb5);

    private Charts() {
    }

    static void bars(String title, List<Measurement> measurements, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int top = 40;
        int height = top + measurements.size() * (BAR + GAP) + 30;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, 10, 24);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics metrics = g.getFontMetrics();
            int labelWidth = 0;
            double max = 0;
            for (Measurement m : measurements) {
                labelWidth = Math.max(labelWidth, metrics.stringWidth(m.variant()));
                max = Math.max(max, m.stats().max());
            }
            int left = Math.min(labelWidth + 20, WIDTH / 2);
            int right = WIDTH - 110;
            double scale = max == 0 ? 0 : (right - left) / max;
            int y = top;
            for (Measurement m : measurements) {
                Stats stats = m.stats();
                g.setColor(Color.BLACK);
                g.drawString(m.variant(), 10, y + BAR - 6);
                g.setColor(m.baseline() == null ? BASELINE : MEASURED);
                g.fillRect(left, y, (int) Math.round(stats.median() * scale), BAR);
                g.setColor(Color.BLACK);
                g.setStroke(new BasicStroke(1.5f));
                int from = left + (int) Math.round(stats.min() * scale);
                int to = left + (int) Math.round(stats.max() * scale);
                g.drawLine(from, y + BAR / 2, to, y + BAR / 2);
                g.drawLine(from, y + 4, from, y + BAR - 4);
                g.drawLine(to, y + 4, to, y + BAR - 4);
                g.drawString(Results.format(stats.median()), right + 8, y + BAR - 6);
                y += BAR + GAP;
            }
            g.setColor(Color.DARK_GRAY);
            g.drawString("grey: baseline; blue: measured; whiskers: min and max of the runs", 10, height - 10);
        } finally {
            g.dispose();
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }
}
