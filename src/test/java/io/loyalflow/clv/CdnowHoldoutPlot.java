package io.loyalflow.clv;

import io.loyalflow.clv.CdnowHoldout.Comparison;
import io.loyalflow.clv.CdnowHoldout.Group;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Draws docs/clv-holdout.png, the paper's "conditional expectations" chart for CDNOW: mean purchases in
 * the 39-week holdout, actual and predicted by the BG/NBD, by calibration repeat purchases (0 to 7+), and
 * prints the numbers as a Markdown table. Java2D on a headless image, no dependencies.
 *
 * <p>Run: {@code ./mvnw -Pclv-plot test} (this class only, tag {@code plot}, excluded from the normal
 * build), or its {@code main} with the test classpath, optionally with another output path.
 */
@Tag("plot")
class CdnowHoldoutPlot {

    static final Path OUTPUT = Path.of("docs", "clv-holdout.png");

    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private static final Color ACTUAL = new Color(0x1F, 0x4E, 0x9A);
    private static final Color MODEL = new Color(0xD9, 0x5F, 0x0E);
    private static final Color GRID = new Color(0xE3, 0xE3, 0xE3);
    private static final Color TEXT = new Color(0x22, 0x22, 0x22);
    private static final Color MUTED = new Color(0x66, 0x66, 0x66);

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path output = args.length > 0 ? Path.of(args[0]) : OUTPUT;
        Comparison comparison = CdnowHoldout.compute();
        write(comparison, output);
        System.out.printf(
                "CDNOW holdout %s to %s (%.1f weeks), BG/NBD %s; chart written to %s%n%s",
                CdnowHoldout.HOLDOUT_START,
                CdnowHoldout.HOLDOUT_END,
                comparison.holdoutWeeks(),
                comparison.fit().model(),
                output.toAbsolutePath().normalize(),
                CdnowHoldout.table(comparison));
        System.out.printf(
                "unconditional expectation of the cohort's holdout purchases: %.1f%n", comparison.unconditionalTotal());
    }

    @Test
    void drawTheChart() throws IOException {
        main(new String[0]);
    }

    static void write(Comparison comparison, Path output) throws IOException {
        BufferedImage image = draw(comparison);
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", output.toFile())) {
            throw new IOException("no PNG writer");
        }
    }

    static BufferedImage draw(Comparison comparison) {
        List<Group> groups = comparison.groups();
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);

            Font title = new Font(Font.SANS_SERIF, Font.BOLD, 20);
            Font subtitle = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
            Font label = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
            Font tick = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
            Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

            g.setColor(TEXT);
            g.setFont(title);
            centred(g, "CDNOW: purchases in the 39-week holdout, actual and BG/NBD", WIDTH / 2.0, 32);
            g.setColor(MUTED);
            g.setFont(subtitle);
            centred(
                    g,
                    String.format(
                            "Fitted on purchases to %s; holdout %s to %s; %,d customers (%,d actual, %,.0f predicted)",
                            CdnowSample.CALIBRATION_END,
                            CdnowHoldout.HOLDOUT_START,
                            CdnowHoldout.HOLDOUT_END,
                            comparison.customers().size(),
                            comparison.actualTotal(),
                            comparison.predictedTotal()),
                    WIDTH / 2.0,
                    54);

            double left = 88;
            double right = WIDTH - 36;
            double top = 78;
            double bottom = HEIGHT - 96;
            double maximum = 0;
            for (Group group : groups) {
                maximum = Math.max(maximum, Math.max(group.actualMean(), group.predictedMean()));
            }
            int yMax = (int) Math.ceil(maximum);
            double step = (right - left) / groups.size();

            // grid and y axis
            g.setFont(tick);
            FontMetrics tickMetrics = g.getFontMetrics();
            for (int value = 0; value <= yMax; value++) {
                double y = bottom - (bottom - top) * value / yMax;
                g.setColor(value == 0 ? MUTED : GRID);
                g.setStroke(new BasicStroke(1f));
                g.draw(new Line2D.Double(left, y, right, y));
                g.setColor(TEXT);
                String text = String.valueOf(value);
                g.drawString(text, (float) (left - 10 - tickMetrics.stringWidth(text)), (float)
                        (y + tickMetrics.getAscent() / 2.0 - 2));
            }
            // x ticks, with the number of customers in each group
            for (int i = 0; i < groups.size(); i++) {
                double x = left + step * (i + 0.5);
                g.setColor(MUTED);
                g.draw(new Line2D.Double(x, bottom, x, bottom + 5));
                g.setColor(TEXT);
                g.setFont(tick);
                centred(g, groups.get(i).label(), x, bottom + 22);
                g.setColor(MUTED);
                g.setFont(small);
                centred(g, String.format("n = %,d", groups.get(i).customers()), x, bottom + 38);
            }
            g.setColor(TEXT);
            g.setFont(label);
            centred(
                    g,
                    "Repeat purchases in the calibration period (1997-01-01 to 1997-09-30)",
                    (left + right) / 2,
                    HEIGHT - 34);
            AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2);
            centred(g, "Purchases per customer in the holdout (mean)", -(top + bottom) / 2, 30);
            g.setTransform(saved);

            // the two lines
            series(g, groups, Group::actualMean, left, step, bottom, top, yMax, ACTUAL, false);
            series(g, groups, Group::predictedMean, left, step, bottom, top, yMax, MODEL, true);

            // legend
            g.setFont(label);
            FontMetrics labelMetrics = g.getFontMetrics();
            String actualText = "Actual";
            String modelText = "BG/NBD: mean of E[Y(39) | x, t_x, T]";
            double boxWidth = 70 + Math.max(labelMetrics.stringWidth(actualText), labelMetrics.stringWidth(modelText));
            double boxX = left + 18;
            double boxY = top + 14;
            g.setColor(Color.WHITE);
            g.fill(new Rectangle2D.Double(boxX, boxY, boxWidth, 58));
            g.setColor(GRID.darker());
            g.setStroke(new BasicStroke(1f));
            g.draw(new Rectangle2D.Double(boxX, boxY, boxWidth, 58));
            legendEntry(g, actualText, boxX + 12, boxY + 20, ACTUAL, false);
            legendEntry(g, modelText, boxX + 12, boxY + 42, MODEL, true);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void series(
            Graphics2D g,
            List<Group> groups,
            ToDoubleFunction<Group> value,
            double left,
            double step,
            double bottom,
            double top,
            int yMax,
            Color color,
            boolean dashed) {
        Path2D.Double line = new Path2D.Double();
        for (int i = 0; i < groups.size(); i++) {
            double x = left + step * (i + 0.5);
            double y = bottom - (bottom - top) * value.applyAsDouble(groups.get(i)) / yMax;
            if (i == 0) {
                line.moveTo(x, y);
            } else {
                line.lineTo(x, y);
            }
        }
        g.setColor(color);
        g.setStroke(stroke(dashed));
        g.draw(line);
        g.setStroke(new BasicStroke(1.5f));
        for (int i = 0; i < groups.size(); i++) {
            double x = left + step * (i + 0.5);
            double y = bottom - (bottom - top) * value.applyAsDouble(groups.get(i)) / yMax;
            marker(g, x, y, color, dashed);
        }
    }

    private static void legendEntry(Graphics2D g, String text, double x, double y, Color color, boolean dashed) {
        g.setColor(color);
        g.setStroke(stroke(dashed));
        g.draw(new Line2D.Double(x, y, x + 40, y));
        g.setStroke(new BasicStroke(1.5f));
        marker(g, x + 20, y, color, dashed);
        g.setColor(TEXT);
        g.drawString(text, (float) (x + 52), (float) (y + g.getFontMetrics().getAscent() / 2.0 - 2));
    }

    private static BasicStroke stroke(boolean dashed) {
        return dashed
                ? new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {9f, 6f}, 0f)
                : new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    /** Actual: a filled circle; model: an open square. */
    private static void marker(Graphics2D g, double x, double y, Color color, boolean open) {
        Shape shape =
                open ? new Rectangle2D.Double(x - 5, y - 5, 10, 10) : new Ellipse2D.Double(x - 5.5, y - 5.5, 11, 11);
        g.setColor(open ? Color.WHITE : color);
        g.fill(shape);
        g.setColor(color);
        g.draw(shape);
    }

    private static void centred(Graphics2D g, String text, double x, double baseline) {
        g.drawString(text, (float) (x - g.getFontMetrics().stringWidth(text) / 2.0), (float) baseline);
    }
}
