package nl.schakel.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineTest {
  // Synthetic BSNs passing the elfproef (ScenarioAnchors' test numbers).
  private static final String AT_A = "999990019";
  private static final String NOWHERE = "999990032";

  @TempDir Path dir;

  @Test
  void answersHitOnlyWhereTheRecordsAreAndRefusesWhatIsNoBsn() throws Exception {
    Path a = Files.writeString(dir.resolve("a.csv"),
        "subject_type,identifier,category,date,area\nperson," + AT_A + ",melding,2026-01-01,\n");
    Path b = Files.writeString(dir.resolve("b.csv"), "subject_type,identifier,category,date,area\n");
    Map<String, Path> csvs = new LinkedHashMap<>();
    csvs.put("a", a);
    csvs.put("b", b);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    // A generous deadline: the first call loads classes, slow on a busy machine; not what is tested.
    try (Baseline baseline = Baseline.start(csvs, Duration.ofSeconds(60))) {
      JsonNode hit = new ObjectMapper().readTree(post(client, baseline, AT_A).body());
      assertThat(hit.path("status").asText()).isEqualTo("complete");
      assertThat(hit.path("answers").get(0).path("party").asText()).isEqualTo("a");
      assertThat(hit.path("answers").get(0).path("outcome").asText()).isEqualTo("hit");
      assertThat(hit.path("answers").get(1).path("outcome").asText()).isEqualTo("no-hit");

      JsonNode miss = new ObjectMapper().readTree(post(client, baseline, NOWHERE).body());
      assertThat(miss.path("answers").findValuesAsText("outcome")).containsExactly("no-hit", "no-hit");

      HttpResponse<String> bad = post(client, baseline, "123456789");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).doesNotContain("123456789");
    }
  }

  private static HttpResponse<String> post(HttpClient client, Baseline baseline, String bsn) throws Exception {
    return client.send(HttpRequest.newBuilder(baseline.queries())
        .POST(HttpRequest.BodyPublishers.ofString("{\"subject\":{\"type\":\"person\",\"bsn\":\"" + bsn + "\"}}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
