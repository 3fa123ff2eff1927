package nl.schakel.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoadDriverTest {
  private static final String COMPLETE =
      "{\"status\":\"complete\",\"answers\":[{\"party\":\"a\",\"outcome\":\"hit\"},{\"party\":\"b\",\"outcome\":\"no-hit\"}]}";
  private static final String PARTIAL =
      "{\"status\":\"partial\",\"answers\":[{\"party\":\"a\",\"outcome\":\"hit\"},{\"party\":\"b\",\"outcome\":\"unavailable\"}]}";

  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger withToken = new AtomicInteger();
  private final LoadDriver driver = new LoadDriver(HttpClient.newHttpClient(), Duration.ofSeconds(60));

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    // Every third question: 503; every third plus one: partial with an unavailable node.
    server.createContext("/v1/queries", exchange -> {
      int n = requests.getAndIncrement();
      exchange.getRequestBody().readAllBytes();
      if ("Bearer t0k3n".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        withToken.incrementAndGet();
      }
      int status = n % 3 == 0 ? 503 : 200;
      byte[] body = (n % 3 == 1 ? PARTIAL : COMPLETE).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private Target target() {
    return new Target(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/queries"),
        () -> "t0k3n", i -> "{\"n\":" + i + "}");
  }

  @Test
  void fixedRateSendsOnScheduleWhateverTheAnswersAndCountsErrorsByKind() throws Exception {
    PhaseResult r = driver.run(LoadPlan.fixedRate("t", 100, Duration.ofMillis(300)), "schakel", target());

    // Due times 0, 10, ..., 290 ms: exactly 30 questions, each answered.
    assertThat(r.sent()).isEqualTo(30);
    assertThat(r.latency().count()).isEqualTo(30);
    assertThat(withToken.get()).isEqualTo(30);
    assertThat(r.errors()).containsEntry("http-503", 10L).containsEntry("unavailable", 10L);
    assertThat(r.ok()).isEqualTo(10);
    assertThat(r.outcomes()).containsEntry("hit", 20L).containsEntry("no-hit", 10L).containsEntry("unavailable", 10L);
    assertThat(r.mode()).isEqualTo("fixed-rate");
    assertThat(r.targetRate()).isEqualTo(100);
  }

  @Test
  void percentilesAreOrderedAndCpuIsCounted() throws Exception {
    PhaseResult r = driver.run(LoadPlan.fixedRate("t", 200, Duration.ofMillis(200)), "schakel", target());

    PhaseResult.Latency l = r.latency();
    assertThat(l.medianMs()).isPositive().isLessThanOrEqualTo(l.p90Ms());
    assertThat(l.p90Ms()).isLessThanOrEqualTo(l.p99Ms());
    assertThat(l.p99Ms()).isLessThanOrEqualTo(l.maxMs());
    assertThat(r.cpuMsPerQuestion()).isPositive();
  }

  @Test
  void maxModeKeepsItsCallersBusyUntilTheEnd() throws Exception {
    PhaseResult r = driver.run(LoadPlan.maxThroughput("m", 4, Duration.ofMillis(300)), "baseline", target());

    assertThat(r.mode()).isEqualTo("max");
    assertThat(r.concurrency()).isEqualTo(4);
    assertThat(r.sent()).isGreaterThan(4).isEqualTo(requests.get());
    assertThat(r.latency().count()).isEqualTo(r.sent());
    assertThat(r.throughput()).isPositive();
  }

  @Test
  void aServerThatIsDownIsAnErrorNotALatency() throws Exception {
    server.stop(0);
    PhaseResult r = driver.run(LoadPlan.fixedRate("t", 50, Duration.ofMillis(100)), "schakel", target());

    assertThat(r.sent()).isEqualTo(5);
    assertThat(r.errors()).containsEntry("io-error", 5L);
    assertThat(r.latency().count()).isZero();
    assertThat(r.ok()).isZero();
  }
}
