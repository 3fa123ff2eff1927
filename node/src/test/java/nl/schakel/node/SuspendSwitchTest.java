package nl.schakel.node;

import static nl.schakel.node.MaliciousGatewayTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import nl.schakel.proto.v1.Answer;
import nl.schakel.proto.v1.NodeLogEntry;
import nl.schakel.proto.v1.Outcome;
import nl.schakel.trust.identifier.Bsn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's local switch (issue 6): a partner stops answering at once, for everything, a
 * purpose or an asking party, without a new convenant. Suspended questions get a signed refusal
 * with the operator's reason and are logged; a switch file that cannot be read suspends everything.
 */
class SuspendSwitchTest {
  static final Bsn PERSON = Bsn.parse("999990019");
  static final String RECORDS = "person,999990019,incident.huiselijk-geweld,2025-03-01,BU03440101\n";

  @TempDir
  Path dir;

  @Nested
  class OverGrpc {
    Path stateDir;
    TestNode politie;
    Questions questions;

    @BeforeEach
    void start() throws Exception {
      stateDir = dir.resolve("politie-state");
      politie = startPolitie();
      questions = Questions.demo();
    }

    TestNode startPolitie() throws Exception {
      return TestNode.start(dir, "politie", RECORDS, List.of(TestNode.DEMO), Clock.fixed(TestNode.NOW, ZoneOffset.UTC),
          stateDir);
    }

    @AfterEach
    void stop() {
      politie.close();
    }

    Answer askR1() throws Exception {
      return politie.ask(questions.r1("politie", politie.pseudonym(PERSON), "incident.huiselijk-geweld"));
    }

    Answer askR2() throws Exception {
      return politie.ask(questions.r2(politie.pseudonym(PERSON)));
    }

    @Test
    void suspendsEveryQuestionWithTheOperatorsReasonAndLogsTheRefusal() throws Exception {
      politie.node.suspend(new SuspendSwitch.Suspension(true, Set.of(), Set.of(),
          Optional.of("Onderhoud aan de registratie tot 14:00")));

      Answer a = askR1();

      assertRefused(a, "suspended-by-operator");
      assertThat(a.getRefusalDetail()).contains("politie").contains("all answering")
          .contains("Onderhoud aan de registratie tot 14:00");
      assertRefused(askR2(), "suspended-by-operator");
      NodeLog log = politie.node.nodeLog();
      NodeLogEntry last = NodeLogEntry.parseFrom(log.entry(log.size() - 1));
      assertThat(last.getOutcome()).isEqualTo(Outcome.REFUSED);
      assertThat(last.getRefusalReason()).isEqualTo("suspended-by-operator");
    }

    @Test
    void suspendsOnePurposeOnly() throws Exception {
      politie.node.suspend(new SuspendSwitch.Suspension(false, Set.of("huisverbod"), Set.of(), Optional.empty()));

      Answer count = askR2();
      assertRefused(count, "suspended-by-operator");
      assertThat(count.getRefusalDetail()).contains("answering for purpose huisverbod");
      assertThat(askR1().getOutcome()).isEqualTo(Outcome.HIT);
    }

    @Test
    void suspendsOneAskingPartyOnly() throws Exception {
      politie.node.suspend(new SuspendSwitch.Suspension(false, Set.of(), Set.of("gemeente-oov"),
          Optional.of("Na incidentmelding 2026-117")));

      Answer count = askR2();
      assertRefused(count, "suspended-by-operator");
      assertThat(count.getRefusalDetail()).contains("asking party gemeente-oov").contains("Na incidentmelding 2026-117");
      assertThat(askR1().getOutcome()).as("zvh still gets answers").isEqualTo(Outcome.HIT);
    }

    @Test
    void resumesAnsweringAtOnce() throws Exception {
      politie.node.suspend(new SuspendSwitch.Suspension(true, Set.of(), Set.of(), Optional.empty()));
      assertRefused(askR1(), "suspended-by-operator");

      politie.node.resume();

      assertThat(askR1().getOutcome()).isEqualTo(Outcome.HIT);
      assertThat(Files.exists(stateDir.resolve(SuspendSwitch.FILE))).isFalse();
    }

    @Test
    void staysSuspendedAcrossARestart() throws Exception {
      politie.node.suspend(new SuspendSwitch.Suspension(false, Set.of("zvh-casus"), Set.of(), Optional.empty()));
      politie.close();

      politie = startPolitie();

      assertRefused(askR1(), "suspended-by-operator");
      assertThat(askR2().getOutcome()).isEqualTo(Outcome.COUNT_RESULT);
    }

    @Test
    void suspendsEverythingWhenTheSwitchFileIsMalformed() throws Exception {
      Files.writeString(stateDir.resolve(SuspendSwitch.FILE), "all: maybe\npurposes: huisverbod\n");
      politie.node.reloadSuspension();

      Answer a = askR1();

      assertRefused(a, "suspended-by-operator");
      assertThat(a.getRefusalDetail()).contains("suspend.yaml").contains("unreadable");
    }
  }

  /** The file's format and when it is read, without a node. */
  @Nested
  class File {
    final AtomicLong nanos = new AtomicLong();
    Path stateDir;
    SuspendSwitch suspend;

    @BeforeEach
    void start() throws Exception {
      stateDir = Files.createDirectories(dir.resolve("state"));
      suspend = new SuspendSwitch("politie", stateDir, nanos::get);
    }

    void write(String yaml, long modifiedMillis) throws Exception {
      Path f = stateDir.resolve(SuspendSwitch.FILE);
      Files.writeString(f, yaml);
      Files.setLastModifiedTime(f, FileTime.fromMillis(modifiedMillis));
    }

    @Test
    void suspendsNothingWithoutAFile() {
      assertThat(suspend.current().any()).isFalse();
    }

    @Test
    void looksAtTheFileAtMostOnceASecondAndReadsItWhenItChanged() throws Exception {
      write("purposes: [huisverbod]\n", 1_000_000);
      assertThat(suspend.current().any()).as("not yet looked at").isFalse();

      nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
      assertThat(suspend.current().purposes()).containsExactly("huisverbod");

      write("asking-parties: [riec]\nreason: even niet\n", 2_000_000);
      nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
      assertThat(suspend.current().purposes()).as("less than a second since the last look").containsExactly("huisverbod");
      nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
      assertThat(suspend.current().askingParties()).containsExactly("riec");
      assertThat(suspend.current().reason()).contains("even niet");

      Files.delete(stateDir.resolve(SuspendSwitch.FILE));
      nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
      assertThat(suspend.current().any()).isFalse();
    }

    @Test
    void seesEveryEditEvenWhenSizeAndModificationTimeStayTheSame() throws Exception {
      write("purposes: [huisverbod]\n", 1_000_000);
      nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
      assertThat(suspend.current().purposes()).containsExactly("huisverbod");

      write("purposes: [zvh-casus1]\n", 1_000_000);
      nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
      assertThat(suspend.current().purposes()).containsExactly("zvh-casus1");

      write("all: true\npurposes: []\n", 1_000_000);
      nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
      assertThat(suspend.current().all()).isTrue();
    }

    @Test
    void failsClosedOnAFileTooLargeToBeASwitch() throws Exception {
      write("purposes: [" + "a, ".repeat(SuspendSwitch.MAX_FILE_BYTES / 3) + "b]\n", 1_000_000);
      suspend.reload();
      assertThat(suspend.current().all()).isTrue();
    }

    @Test
    void failsClosedOnEveryKindOfMalformedFile() throws Exception {
      for (String bad : List.of("", "[huisverbod]", "all: yes please", "purpose: [huisverbod]",
          "purposes: huisverbod", "purposes: [Huis Verbod]", "reason: [a, b]", "all: true\n  bad: [indent",
          "reason: \"" + "x".repeat(501) + "\"")) {
        write(bad, 3_000_000);
        suspend.reload();
        assertThat(suspend.current().all()).as(bad.isEmpty() ? "(empty file)" : bad).isTrue();
        assertThat(suspend.current().reason().orElseThrow()).contains("unreadable");
      }
      write("all: false\n", 4_000_000);
      suspend.reload();
      assertThat(suspend.current().any()).isFalse();
    }

    @Test
    void writesAFileItReadsBackTheSame() throws Exception {
      var s = new SuspendSwitch.Suspension(false, Set.of("huisverbod", "zvh-casus"), Set.of("riec"),
          Optional.of("Tijdelijk: \"lek\" onderzocht \\ 030-1234567"));

      suspend.write(s);

      assertThat(SuspendSwitch.parse(Files.readString(suspend.file()))).isEqualTo(s);
      assertThat(suspend.current()).isEqualTo(s);
    }

    @Test
    void refusesOnlyWhatIsSuspended() throws Exception {
      suspend.write(new SuspendSwitch.Suspension(false, Set.of("huisverbod"), Set.of("riec"), Optional.empty()));

      suspend.check("zvh-casus", "zvh");
      assertThat(refusal("huisverbod", "gemeente-oov")).contains("answering for purpose huisverbod")
          .contains("no reason given");
      assertThat(refusal("ondermijning", "riec")).contains("asking party riec");
    }

    String refusal(String purpose, String party) {
      try {
        suspend.check(purpose, party);
        throw new AssertionError("expected a refusal for " + purpose + " / " + party);
      } catch (Refused r) {
        assertThat(r.code()).isEqualTo("suspended-by-operator");
        return r.detail();
      }
    }
  }
}
