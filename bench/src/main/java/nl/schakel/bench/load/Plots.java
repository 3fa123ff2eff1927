package nl.schakel.bench.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * PNG charts drawn from a {@link Report} alone, so {@code schakel bench plot} can redraw them from
 * report.json without measuring again. Headless: no display needed.
 */
public final class Plots {
  public static final String LATENCY = "latency.png";
  public static final String SCALE_NODES = "scale-nodes.png";
  public static final String SCALE_RECORDS = "scale-records.png";
  private static final int WIDTH = 900;
  private static final int HEIGHT = 500;

  private Plots() {}

  /**
   * Writes {@value #LATENCY} (latency percentiles per phase) and, when the report has scale
   * points, {@value #SCALE_NODES} and {@value #SCALE_RECORDS}.
   *
   * @return the files written
   */
  public static List<Path> write(Report report, Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    if (!report.phases().isEmpty()) {
      written.add(save(latency(report), dir.resolve(LATENCY)));
    }
    List<Report.ScalePoint> nodes = report.scale().stream().filter(p -> p.curve().equals("nodes")).toList();
    if (!nodes.isEmpty()) {
      written.add(save(scale(nodes, "Nodes per question (" + String.format("%,d", nodes.get(0).recordsPerNode())
          + " records each)", false, true), dir.resolve(SCALE_NODES)));
    }
    List<Report.ScalePoint> records = report.scale().stream().filter(p -> p.curve().equals("records")).toList();
    if (!records.isEmpty()) {
      written.add(save(scale(records, "Records per node (" + records.get(0).nodes() + " nodes, log scale)", true, false),
          dir.resolve(SCALE_RECORDS)));
    }
    return written;
  }

  private static JFreeChart latency(Report report) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (PhaseResult p : report.phases()) {
      data.addValue(p.latency().medianMs(), "median", p.name());
      data.addValue(p.latency().p90Ms(), "p90", p.name());
      data.addValue(p.latency().p99Ms(), "p99", p.name());
    }
    JFreeChart chart = ChartFactory.createBarChart("Latency per phase (" + report.setup().nodes() + " nodes, "
        + String.format("%,d", report.setup().recordsPerNode()) + " records each)", "phase", "ms", data,
        PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    // Log scale: a 20 q/s median of milliseconds and an overloaded p99 of seconds on one chart.
    LogarithmicAxis ms = new LogarithmicAxis("ms (log scale)");
    ms.setAllowNegativesFlag(false);
    ms.setStrictValuesFlag(false);
    chart.getCategoryPlot().setRangeAxis(ms);
    chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
    chart.getCategoryPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
    return chart;
  }

  private static JFreeChart scale(List<Report.ScalePoint> points, String xLabel, boolean logX, boolean integerX) {
    XYSeries throughput = new XYSeries("throughput (ok/s, max)");
    XYSeries p99 = new XYSeries("p99 latency at max (ms)");
    for (Report.ScalePoint p : points) {
      double x = logX ? p.recordsPerNode() : p.nodes();
      throughput.add(x, p.throughput());
      p99.add(x, p.p99Ms());
    }
    JFreeChart chart = ChartFactory.createXYLineChart("Scale: " + xLabel, xLabel, "questions/s",
        new XYSeriesCollection(throughput), PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    if (logX) {
      LogarithmicAxis axis = new LogarithmicAxis(xLabel);
      axis.setAllowNegativesFlag(false);
      plot.setDomainAxis(axis);
    } else if (integerX) {
      plot.getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    }
    XYLineAndShapeRenderer left = new XYLineAndShapeRenderer(true, true);
    left.setSeriesPaint(0, new Color(0x1f77b4));
    left.setSeriesStroke(0, new BasicStroke(2f));
    plot.setRenderer(0, left);
    ValueAxis right = new NumberAxis("p99 ms");
    plot.setRangeAxis(1, right);
    plot.setDataset(1, new XYSeriesCollection(p99));
    plot.mapDatasetToRangeAxis(1, 1);
    XYLineAndShapeRenderer second = new XYLineAndShapeRenderer(true, true);
    second.setSeriesPaint(0, new Color(0xd62728));
    second.setSeriesStroke(0, new BasicStroke(2f));
    plot.setRenderer(1, second);
    return chart;
  }

  private static Path save(JFreeChart chart, Path file) throws IOException {
    ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    return file;
  }
}
