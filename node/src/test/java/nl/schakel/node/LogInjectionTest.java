package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Text from a question or a checkpoint reaches the node's log before anything checked it: it must
 * not be able to forge a log line, nor fill the log.
 */
class LogInjectionTest {
  @TempDir
  Path dir;

  @Test
  void logsAQuestionWhoseTraceIdHoldsANewlineOnOneLine() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(NodeGrpcService.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try (TestNode politie = TestNode.start(dir, "politie", "")) {
      politie.ask(Questions.demo().r4("BU03440102")
          .setTraceId("abc\nparty=politie question=forged outcome=ANSWERED")
          .setPurpose("p\r\u007f" + "x".repeat(500)));

      List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage)
          .filter(m -> m.contains("trace=")).toList();
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0)).doesNotContain("\n").doesNotContain("\r").doesNotContain("\u007f")
          .contains("trace=abc?party=politie question=forged outcome=ANSWERED")
          .contains("purpose=p??" + "x".repeat(97) + "...")
          .doesNotContain("x".repeat(98));
    } finally {
      logger.detachAppender(appender);
    }
  }

  @Test
  void printableReplacesControlCharactersAndCapsTheLength() {
    assertThat(Witness.printable("a\tb\u0000c\u001fd\u007fe é")).isEqualTo("a?b?c?d?e é");
    assertThat(Witness.printable("y".repeat(100))).isEqualTo("y".repeat(100));
    assertThat(Witness.printable("y".repeat(101))).isEqualTo("y".repeat(100) + "...");
  }
}
