package nl.schakel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code schakel bench --quick}, shrunk further (2 nodes, 1-second phases) so it fits a test run:
 * the report must be well formed and complete. Its speed is not checked: a shared CI machine
 * would make any such assertion flaky.
 */
class BenchCommandTest {
  @TempDir Path out;

  @Test
  void quickRunWritesAWellFormedReportWithEveryPhaseOverheadCeilingAndTargets() throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = Schakel.commandLine().execute("bench", "--quick", "--nodes", "2", "--records", "300", "--rate", "30",
          "--duration", "PT1S", "--warmup", "PT1S", "--concurrency", "4", "--out", out.toString());
    } finally {
      System.setOut(old);
    }

    assertThat(exit).as(console.toString(StandardCharsets.UTF_8)).isZero();
    JsonNode r = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertThat(r.path("format").asText()).isEqualTo("schakel-bench/v1");
    assertThat(r.path("setup").path("nodes").asInt()).isEqualTo(2);

    List<String> names = new ArrayList<>();
    r.path("phases").forEach(p -> names.add(p.path("name").asText()));
    assertThat(names).containsExactly("baseline-20qps", "schakel-20qps", "schakel-30qps", "schakel-max");
    for (JsonNode p : r.path("phases")) {
      String name = p.path("name").asText();
      assertThat(p.path("sent").asLong()).as(name).isPositive();
      assertThat(p.path("ok").asLong()).as(name + " answered without error").isPositive();
      assertThat(p.path("throughput").asDouble()).as(name).isPositive();
      assertThat(p.path("cpuMsPerQuestion").asDouble()).as(name).isPositive();
      JsonNode l = p.path("latency");
      assertThat(l.path("count").asLong()).as(name).isPositive();
      assertThat(l.path("medianMs").asDouble()).as(name).isPositive().isLessThanOrEqualTo(l.path("p90Ms").asDouble());
      assertThat(l.path("p90Ms").asDouble()).as(name).isLessThanOrEqualTo(l.path("p99Ms").asDouble());
      assertThat(l.path("p99Ms").asDouble()).as(name).isLessThanOrEqualTo(l.path("maxMs").asDouble());
      assertThat(p.path("errors").isObject()).as(name + " errors counted by kind").isTrue();
      long errors = 0;
      for (JsonNode e : p.path("errors")) {
        errors += e.asLong();
      }
      assertThat(p.path("ok").asLong() + errors).as(name + ": every question is ok or an error")
          .isGreaterThanOrEqualTo(p.path("sent").asLong());
      // Two nodes answer every question: hit or no-hit, both real outcomes.
      assertThat(p.path("outcomes").path("hit").asLong() + p.path("outcomes").path("no-hit").asLong())
          .as(name).isPositive();
    }
    assertThat(r.path("phases").get(0).path("path").asText()).isEqualTo("baseline");
    // The gateway's own timing of every real-path phase, from its /metrics; none for the baseline.
    assertThat(r.path("phases").get(0).has("audit")).isFalse();
    for (int i = 1; i < 4; i++) {
      JsonNode a = r.path("phases").get(i).path("audit");
      String name = r.path("phases").get(i).path("name").asText();
      // Not equal to sent: a question the driver gave up on may end at the gateway after the scrape.
      assertThat(a.path("questions").asLong()).as(name).isPositive();
      assertThat(a.path("auditShare").asDouble()).as(name).isPositive().isLessThanOrEqualTo(1.0);
      assertThat(a.path("auditP99Ms").asDouble()).as(name).isPositive()
          .isLessThanOrEqualTo(a.path("questionP99Ms").asDouble());
    }

    JsonNode overhead = r.path("overhead");
    assertThat(overhead.path("ratio").asDouble()).isPositive();
    assertThat(overhead.path("ratio").asDouble()).isEqualTo(
        overhead.path("schakelMedianMs").asDouble() / overhead.path("baselineMedianMs").asDouble());
    JsonNode ceiling = r.path("ceiling");
    assertThat(ceiling.path("questionsPerSecond").asDouble()).isPositive();
    assertThat(ceiling.path("nodes").asInt()).isEqualTo(2);
    assertThat(r.path("goals")).hasSize(4);
    assertThat(r.path("goals").get(1).path("name").asText()).isEqualTo("audit log share of p99 latency");

    assertThat(Files.readString(out.resolve("report.md"))).contains("| schakel-max |").contains("Crypto ceiling");
    assertThat(out.resolve("latency.png")).isNotEmptyFile();

    // The plots can be redrawn from the JSON alone.
    Path replot = out.resolve("replot");
    assertThat(Schakel.commandLine().execute("bench", "plot", "--in", out.resolve("report.json").toString(),
        "--out", replot.toString())).isZero();
    assertThat(replot.resolve("latency.png")).isNotEmptyFile();
  }
}
