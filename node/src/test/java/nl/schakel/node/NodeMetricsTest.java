package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import nl.schakel.proto.v1.HealthRequest;
import nl.schakel.proto.v1.HealthStatus;
import nl.schakel.trust.identifier.Bsn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's view of a running node: {@code GET /metrics} over real HTTP, and Health's detail. */
class NodeMetricsTest {
  static final String RECORDS = """
      person,999990019,incident.huiselijk-geweld,2025-03-01,BU03440101
      person,999990019,incident.huiselijk-geweld,1800-01-01,BU03440101
      """;
  final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  HttpResponse<String> get(TestNode node, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.node.metricsPort().getAsInt() + path))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesPrometheusMetricsWithoutAnyIdentifierOrPseudonym() throws Exception {
    try (TestNode politie = TestNode.start(dir, "politie", RECORDS,
        c -> c.withMetrics(new NodeConfig.Metrics("127.0.0.1", 0, false)))) {
      Questions questions = Questions.demo();
      var pseudonym = politie.pseudonym(Bsn.parse("999990019"));
      politie.ask(questions.r1("politie", pseudonym));
      politie.ask(questions.r1("politie", politie.pseudonym(Bsn.parse("999990032"))));
      politie.ask(questions.r1("veilig-thuis", pseudonym));
      politie.ask(questions.r4("BU03440101"));

      HttpResponse<String> r = get(politie, "/metrics");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).contains(MetricsServer.CONTENT_TYPE);
      assertThat(r.body()).contains(
          "# TYPE schakel_node_records gauge\nschakel_node_records{party=\"politie\"} 1\n",
          "schakel_node_rows_rejected{party=\"politie\"} 1\n",
          "schakel_node_questions_total{party=\"politie\",outcome=\"hit\"} 1\n",
          "schakel_node_questions_total{party=\"politie\",outcome=\"no-hit\"} 1\n",
          "schakel_node_questions_total{party=\"politie\",outcome=\"count\"} 1\n",
          "schakel_node_questions_total{party=\"politie\",outcome=\"refused\"} 1\n",
          "schakel_node_questions_total{party=\"politie\",outcome=\"rejected\"} 0\n",
          "schakel_node_audit_log_entries{party=\"politie\"} 4\n",
          "schakel_node_refresh_failures_total{party=\"politie\"} 0\n",
          "schakel_node_refresh_last_success_timestamp_seconds{party=\"politie\"} " + TestNode.NOW.getEpochSecond());
      assertThat(r.body()).containsPattern("schakel_node_index_bytes\\{party=\"politie\"\\} [1-9][0-9]*\n");
      // No build under way: the build gauges have no samples.
      assertThat(r.body()).doesNotContain("schakel_node_index_build_stage{");
      assertThat(r.body()).doesNotContain("999990019").doesNotContain(pseudonym.toStringUtf8())
          .doesNotContain(nl.schakel.trust.pseudonym.Pseudonym.of(pseudonym.toByteArray()).toHex().substring(0, 12));
      assertThat(get(politie, "/other").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void showsTheBuildStageWhileAnIndexIsBuilt() {
    NodeMetrics metrics = new NodeMetrics("politie");
    metrics.progress(new nl.schakel.node.index.BuildProgress(nl.schakel.node.index.BuildProgress.Stage.KEYING, 10, 4));
    RefreshStatus status = new RefreshStatus("politie.csv", TestNode.NOW, 0, new IngestReport(0, 0, List.of()),
        TestNode.NOW, java.util.Optional.empty(), 1, 0);

    String scrape = metrics.scrape(status, 0, java.util.Map.of(), 0);

    assertThat(scrape).contains("schakel_node_index_build_stage{party=\"politie\",stage=\"keying\"} 1\n",
        "schakel_node_index_build_stage{party=\"politie\",stage=\"sorting\"} 0\n",
        "schakel_node_index_build_processed{party=\"politie\"} 4\n",
        "schakel_node_index_build_records{party=\"politie\"} 10\n");
    metrics.progress(new nl.schakel.node.index.BuildProgress(nl.schakel.node.index.BuildProgress.Stage.DONE, 10, 10));
    assertThat(metrics.scrape(status, 0, java.util.Map.of(), 0)).doesNotContain("schakel_node_index_build_stage{");
  }

  @Test
  void refusesAMetricsHostBeyondLoopbackUnlessAllowed() {
    assertThatThrownBy(() -> new NodeConfig.Metrics("0.0.0.0", 9201, false))
        .hasMessageContaining("metrics.host must be a loopback address").hasMessageContaining("allow-remote: true");
    assertThatThrownBy(() -> new NodeConfig.Metrics("metrics.example.org", 9201, false))
        .hasMessageContaining("found metrics.example.org");
    assertThat(new NodeConfig.Metrics("0.0.0.0", 9201, true).host()).isEqualTo("0.0.0.0");
    assertThat(new NodeConfig.Metrics("localhost", 9201, false).port()).isEqualTo(9201);
    assertThat(new NodeConfig.Metrics("::1", 9201, false).port()).isEqualTo(9201);
  }

  @Test
  void readsTheMetricsSectionOfNodeYaml() throws Exception {
    var yaml = SourceConfigTest.YAML;
    assertThat(yaml.readValue("{port: 9201}", NodeConfig.Metrics.class))
        .isEqualTo(new NodeConfig.Metrics("127.0.0.1", 9201, false));
    assertThat(yaml.readValue("{host: 10.0.0.5, port: 9201, allow-remote: true}", NodeConfig.Metrics.class).host())
        .isEqualTo("10.0.0.5");
    assertThatThrownBy(() -> yaml.readValue("{host: 10.0.0.5, port: 9201}", NodeConfig.Metrics.class))
        .hasMessageContaining("metrics.host must be a loopback address");
  }

  @Test
  void healthNamesAFailedRefreshWhileTheOldIndexKeepsServing() throws Exception {
    Path csv = dir.resolve("politie.csv");
    Files.writeString(csv, CsvRecordSource.HEADER + "\n" + RECORDS);
    try (TestNode politie = TestNode.start(dir, "politie", new NodeConfig.Source(csv), List.of(TestNode.DEMO),
        Clock.fixed(TestNode.NOW, ZoneOffset.UTC), TestNode.freshStateDir(dir, "politie"),
        c -> c.withMetrics(new NodeConfig.Metrics("127.0.0.1", 0, false)))) {
      assertThat(politie.stub().health(HealthRequest.getDefaultInstance()).getDetail()).isEmpty();
      Files.delete(csv);

      politie.node.refreshNow();
      HealthStatus h = politie.stub().health(HealthRequest.getDefaultInstance());

      assertThat(h.getState()).isEqualTo(HealthStatus.State.SERVING);
      assertThat(h.getRecords()).isEqualTo(1);
      assertThat(h.getDetail()).startsWith("last refresh of politie.csv failed").contains("answering from the index built");
      assertThat(get(politie, "/metrics").body()).contains("schakel_node_refresh_failures_total{party=\"politie\"} 1\n");
    }
  }
}
