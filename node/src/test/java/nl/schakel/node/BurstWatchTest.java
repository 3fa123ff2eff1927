package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import nl.schakel.proto.v1.NodeLogEntry;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.proto.v1.Question;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The node flags bursts of distinct subjects per analyst in its own log (issue 6): enumeration
 * within budget is still visible to the partner's auditor, without the node ever refusing on it.
 */
class BurstWatchTest {
  static final Instant T = TestNode.NOW;
  final Random random = new Random(42);

  ByteString subject() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return ByteString.copyFrom(b);
  }

  @Test
  void flagsTheQuestionThatTakesAnAnalystBeyondTheThresholdAndThoseAfter() {
    BurstWatch watch = new BurstWatch("politie", 3, Duration.ofMinutes(10));
    List<ByteString> subjects = List.of(subject(), subject(), subject(), subject());

    assertThat(watch.observe("zvh", "a", subjects.get(0), T)).isFalse();
    assertThat(watch.observe("zvh", "a", subjects.get(1), T.plusSeconds(1))).isFalse();
    assertThat(watch.observe("zvh", "a", subjects.get(2), T.plusSeconds(2))).isFalse();
    // The same subject again is not a new one.
    assertThat(watch.observe("zvh", "a", subjects.get(0), T.plusSeconds(3))).isFalse();
    assertThat(watch.observe("zvh", "a", subjects.get(3), T.plusSeconds(4))).isTrue();
    assertThat(watch.observe("zvh", "a", subjects.get(1), T.plusSeconds(5))).as("still four within the window")
        .isTrue();
    // Another analyst, of the same party or another, has a count of their own.
    assertThat(watch.observe("zvh", "b", subjects.get(3), T.plusSeconds(6))).isFalse();
    assertThat(watch.observe("riec", "a", subjects.get(3), T.plusSeconds(6))).isFalse();
  }

  @Test
  void forgetsSubjectsOnceTheyLeaveTheWindow() {
    BurstWatch watch = new BurstWatch("politie", 2, Duration.ofMinutes(10));
    ByteString first = subject();
    watch.observe("zvh", "a", first, T);
    watch.observe("zvh", "a", subject(), T.plusSeconds(60));
    assertThat(watch.observe("zvh", "a", subject(), T.plusSeconds(120))).isTrue();

    // Ten minutes after the first, it has left the window: two distinct subjects remain, plus this one.
    assertThat(watch.observe("zvh", "a", subject(), T.plusSeconds(600))).isTrue();
    assertThat(watch.observe("zvh", "a", subject(), T.plusSeconds(721))).as("only two inside (121 s, 721 s]")
        .isFalse();
    // Asking again refreshes a subject: it stays inside the window as long as it is asked about.
    BurstWatch again = new BurstWatch("politie", 2, Duration.ofMinutes(10));
    again.observe("zvh", "a", first, T);
    again.observe("zvh", "a", first, T.plusSeconds(590));
    again.observe("zvh", "a", subject(), T.plusSeconds(595));
    assertThat(again.observe("zvh", "a", subject(), T.plusSeconds(700))).isTrue();
  }

  @Test
  void keepsMemoryBoundedHoweverManySubjectsAndAnalysts() {
    BurstWatch watch = new BurstWatch("politie", 3, Duration.ofMinutes(1));
    for (int i = 0; i < 20_000; i++) {
      watch.observe("zvh", "analyst-" + (i % 10_000), subject(), T.plusMillis(i * 10L));
    }
    for (int i = 0; i < 5_000; i++) {
      watch.observe("riec", "only", subject(), T.plusSeconds(400).plusMillis(i));
    }
    // Minutes later every earlier analyst's subjects have left their one-minute window and been swept.
    assertThat(watch.analystsRemembered()).isLessThan(100);
  }

  @Test
  void warnsNamingTheAnalystButNeverTheSubject() {
    Logger logger = (Logger) LoggerFactory.getLogger(BurstWatch.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      BurstWatch watch = new BurstWatch("politie", 1, Duration.ofMinutes(10));
      ByteString a = subject();
      ByteString b = subject();
      watch.observe("zvh", "p.jansen", a, T);
      watch.observe("zvh", "p.jansen", b, T.plusSeconds(1));
      watch.observe("zvh", "p.jansen", subject(), T.plusSeconds(2));

      List<String> warnings = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      assertThat(warnings).as("at most one warning per analyst per window").hasSize(1);
      assertThat(warnings.get(0)).contains("zvh").contains("p.jansen").contains("more than 1 distinct subjects")
          .doesNotContain(HexFormat.of().formatHex(b.toByteArray()).substring(0, 8));
    } finally {
      logger.detachAppender(appender);
    }
  }

  @Test
  void rejectsAThresholdOrWindowThatCannotWork() {
    assertThatThrownBy(() -> new NodeConfig.Burst(0, Duration.ofMinutes(10)))
        .hasMessageContaining("burst.distinct-subjects must be at least 1, found 0");
    assertThatThrownBy(() -> new NodeConfig.Burst(50, Duration.ZERO))
        .hasMessageContaining("burst.window must be between PT1S and P1D, found PT0S");
  }

  @Test
  void readsTheBurstKeyOfNodeYamlWithDefaults() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).registerModule(new JavaTimeModule());
    String base = """
        party: politie
        listen: {port: 0}
        source: {csv: data/politie.csv}
        matching-key: keys/matching.key
        party-keys: keys/party-keys
        state-dir: state
        pki: {credentials: pki/politie, ca: pki/ca.pem, gateway-signing-cert: pki/gateway.pem}
        """;
    assertThat(yaml.readValue(base, NodeConfig.class).burst()).isEqualTo(NodeConfig.Burst.DEFAULT);
    assertThat(NodeConfig.Burst.DEFAULT).isEqualTo(new NodeConfig.Burst(50, Duration.ofMinutes(10)));
    NodeConfig tuned = yaml.readValue(base + "burst: {distinct-subjects: 20, window: PT5M}\n", NodeConfig.class);
    assertThat(tuned.burst()).isEqualTo(new NodeConfig.Burst(20, Duration.ofMinutes(5)));
    assertThat(tuned.resolveAgainst(Path.of("/etc/schakel")).burst()).isEqualTo(tuned.burst());
  }

  /** Over real gRPC, with node.yaml's default: more than 50 distinct subjects within PT10M. */
  @Test
  void marksTheNodeLogEntriesOfABurstForTheAuditor(@TempDir Path dir) throws Exception {
    try (TestNode politie = TestNode.start(dir, "politie", "person,999990019,incident.huiselijk-geweld,2025-03-01,\n")) {
      Questions questions = Questions.demo();
      List<Outcome> outcomes = new ArrayList<>();
      for (int i = 0; i < 51; i++) {
        outcomes.add(politie.ask(questions.r1("politie", subject(), "incident.huiselijk-geweld")).getOutcome());
      }
      Question other = questions.r1("politie", subject(), "incident.huiselijk-geweld").setAskerPerson("b.devries")
          .build();
      politie.ask(other);

      assertThat(outcomes).as("a burst is flagged, never refused").containsOnly(Outcome.NO_HIT);
      NodeLog log = politie.node.nodeLog();
      List<NodeLogEntry> entries = new ArrayList<>();
      for (long i = 0; i < log.size(); i++) {
        entries.add(NodeLogEntry.parseFrom(log.entry(i)));
      }
      assertThat(entries).hasSize(52);
      assertThat(entries.subList(0, 50)).allSatisfy(e -> assertThat(e.getFlagsList()).isEmpty());
      assertThat(entries.get(50).getFlagsList()).containsExactly("burst-distinct-subjects");
      assertThat(entries.get(51).getAskerPerson()).isEqualTo("b.devries");
      assertThat(entries.get(51).getFlagsList()).isEmpty();
    }
  }
}
