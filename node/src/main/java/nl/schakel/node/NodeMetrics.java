package nl.schakel.node;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import nl.schakel.node.index.BuildProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's numbers for an operator: index size, build progress, refresh health, questions per
 * outcome and the length of its own log, in the Prometheus text format (version 0.0.4). Labels are
 * the party and fixed words only (stage, outcome): never an identifier, a pseudonym, a purpose or a
 * case reference, so a scrape reveals volumes, never whom they concern.
 */
final class NodeMetrics {
  private static final Logger log = LoggerFactory.getLogger(NodeMetrics.class);
  /** The outcome labels of {@code schakel_node_questions_total}, in output order. */
  static final java.util.List<String> OUTCOMES = java.util.List.of("hit", "no-hit", "count", "refused", "rejected");

  private final String party;
  private final AtomicReference<Optional<BuildProgress>> building = new AtomicReference<>(Optional.empty());

  NodeMetrics(String party) {
    this.party = party;
  }

  /**
   * The index builder's progress listener: logs each report at INFO (a stage change, and every
   * {@link nl.schakel.node.index.IndexBuilder#PROGRESS_STEP} records) and keeps the latest for
   * {@code schakel_node_index_build_*} until the build is done.
   */
  void progress(BuildProgress p) {
    if (p.stage() == BuildProgress.Stage.DONE) {
      building.set(Optional.empty());
    } else {
      building.set(Optional.of(p));
    }
    log.info("party={} index build stage={} records={} processed={}", party,
        p.stage().name().toLowerCase(Locale.ROOT), p.records(), p.processed());
  }

  /** The build under way, if any. */
  Optional<BuildProgress> building() {
    return building.get();
  }

  /**
   * The scrape: {@code status} of the index in use, its {@code footprintBytes}, {@code questions}
   * per outcome label and the node log's {@code logEntries}.
   */
  String scrape(RefreshStatus status, long footprintBytes, Map<String, Long> questions, long logEntries) {
    StringBuilder out = new StringBuilder(2048);
    String p = "party=\"" + party + "\"";
    gauge(out, "schakel_node_records", "Records in the index answering questions.", p, status.records());
    gauge(out, "schakel_node_index_bytes", "Heap bytes of the index answering questions, from its array lengths.",
        p, footprintBytes);
    gauge(out, "schakel_node_rows_rejected", "Source rows rejected by the read that built the index in use.", p,
        status.ingest().rejected());
    gauge(out, "schakel_node_refresh_last_success_timestamp_seconds",
        "When the index in use finished building (Unix seconds).", p, status.indexBuiltAt().getEpochSecond());
    header(out, "schakel_node_refresh_failures_total", "Failed refreshes since start; the old index kept answering.",
        "counter");
    line(out, "schakel_node_refresh_failures_total", p, status.failures());
    header(out, "schakel_node_questions_total", "Questions received, by outcome (rejected: no answer signed).",
        "counter");
    for (String outcome : OUTCOMES) {
      line(out, "schakel_node_questions_total", p + ",outcome=\"" + outcome + "\"", questions.getOrDefault(outcome, 0L));
    }
    gauge(out, "schakel_node_audit_log_entries", "Entries in the node's own audit log.", p, logEntries);
    Optional<BuildProgress> b = building.get();
    header(out, "schakel_node_index_build_stage", "1 for the stage of the index build under way; absent when idle.",
        "gauge");
    b.ifPresent(progress -> {
      for (BuildProgress.Stage s : BuildProgress.Stage.values()) {
        if (s != BuildProgress.Stage.DONE) {
          line(out, "schakel_node_index_build_stage", p + ",stage=\"" + s.name().toLowerCase(Locale.ROOT) + "\"",
              s == progress.stage() ? 1 : 0);
        }
      }
    });
    header(out, "schakel_node_index_build_records", "Records added to the index build under way.", "gauge");
    b.ifPresent(progress -> line(out, "schakel_node_index_build_records", p, progress.records()));
    header(out, "schakel_node_index_build_processed", "Records past the current stage's work in the build under way.",
        "gauge");
    b.ifPresent(progress -> line(out, "schakel_node_index_build_processed", p, progress.processed()));
    return out.toString();
  }

  private static void gauge(StringBuilder out, String name, String help, String labels, long value) {
    header(out, name, help, "gauge");
    line(out, name, labels, value);
  }

  private static void header(StringBuilder out, String name, String help, String type) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void line(StringBuilder out, String name, String labels, long value) {
    out.append(name).append('{').append(labels).append("} ").append(value).append('\n');
  }
}
