package io.mote.benchmarks.compare;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Draws the comparison as a PNG with java.awt (headless), so the chart needs nothing beyond the JDK:
 * one panel of throughput (every scenario whose result is a rate, higher is better) and one of p99
 * latency, grouped bars per scenario, one colour per broker. Log scale, because a scenario's rows/s
 * and another's connects/s differ by orders of magnitude; each bar carries its value.
 */
final class CompareChart
{
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0xffbb78), new Color(0x2ca02c), new Color(0x9467bd)};
    private static final int WIDTH = 1400;
    private static final int PANEL = 420;

    private CompareChart()
    {
    }

    static void write(final List<CompareReport.Result> results, final List<String> brokers, final List<String> groups, final Path png)
        throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final BufferedImage image = new BufferedImage(WIDTH, 2 * PANEL + 60, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        final List<String> rates = groups.stream().filter(gr -> results.stream().anyMatch(r -> r.group().equals(gr) && r.higherIsBetter())).toList();
        final List<String> latencies = groups.stream().filter(gr -> results.stream().anyMatch(r -> r.group().equals(gr) && !Double.isNaN(r.value("p99_us")))).toList();
        panel(g, 0, "Throughput per scenario (log scale; msg/s, rows/s or connects/s, higher is better)", rates, brokers, results, r -> r.value("value"));
        panel(g, PANEL, "p99 latency per scenario (microseconds, log scale, lower is better)", latencies, brokers, results, r -> r.value("p99_us"));
        int x = 80;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        for (int b = 0; b < brokers.size(); b++)
        {
            g.setColor(COLOURS[b % COLOURS.length]);
            g.fillRect(x, 2 * PANEL + 20, 16, 16);
            g.setColor(Color.BLACK);
            g.drawString(brokers.get(b), x + 22, 2 * PANEL + 33);
            x += 40 + g.getFontMetrics().stringWidth(brokers.get(b)) + 20;
        }
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static void panel(final Graphics2D g, final int top, final String title, final List<String> groups, final List<String> brokers,
        final List<CompareReport.Result> results, final Function<CompareReport.Result, Double> metric)
    {
        final int left = 80;
        final int right = WIDTH - 20;
        final int plotTop = top + 40;
        final int plotBottom = top + PANEL - 50;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, left, top + 25);
        double max = 1;
        for (final CompareReport.Result r : results)
        {
            final double v = metric.apply(r);
            if (groups.contains(r.group()) && !Double.isNaN(v))
            {
                max = Math.max(max, v);
            }
        }
        // Headroom above the tallest bar for its rotated value label.
        final double decades = Math.max(1, Math.ceil(Math.log10(max * 30)));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setStroke(new BasicStroke(1));
        for (int d = 0; d <= decades; d++)
        {
            final int y = (int)(plotBottom - (plotBottom - plotTop) * d / decades);
            g.setColor(new Color(0xdddddd));
            g.drawLine(left, y, right, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(d < 3 ? String.valueOf((long)Math.pow(10, d)) : "1e" + d, 10, y + 4);
        }
        if (groups.isEmpty())
        {
            return;
        }
        final double slot = (right - left) / (double)groups.size();
        final double bar = Math.min(40, (slot - 20) / brokers.size());
        for (int i = 0; i < groups.size(); i++)
        {
            final double x0 = left + i * slot + (slot - bar * brokers.size()) / 2;
            for (int b = 0; b < brokers.size(); b++)
            {
                final CompareReport.Result r = CompareReport.find(results, brokers.get(b), groups.get(i));
                final double v = r == null ? Double.NaN : metric.apply(r);
                if (Double.isNaN(v) || v <= 0)
                {
                    continue;
                }
                final int height = (int)((plotBottom - plotTop) * Math.max(0, Math.log10(v)) / decades);
                g.setColor(COLOURS[b % COLOURS.length]);
                g.fillRect((int)(x0 + b * bar), plotBottom - height, (int)bar - 2, height);
                g.setColor(Color.BLACK);
                final Graphics2D rotated = (Graphics2D)g.create();
                rotated.rotate(-Math.PI / 2, x0 + b * bar + bar / 2 + 4, plotBottom - height - 4);
                rotated.drawString(CompareReport.format(v), (int)(x0 + b * bar + bar / 2 + 4), plotBottom - height - 4);
                rotated.dispose();
            }
            g.setColor(Color.BLACK);
            g.drawString(groups.get(i), (int)(left + i * slot + slot / 2 - g.getFontMetrics().stringWidth(groups.get(i)) / 2.0), plotBottom + 18);
        }
    }
}
