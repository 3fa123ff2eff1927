package nl.schakel.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * Reads a {@code POST /v1/queries} response for the report: only the status and the per-party
 * {@code outcome}s (API.md), never anything about the subject.
 */
final class ResponseClassifier {
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param errorKinds empty when the question was answered completely
   * @param outcomes one per answer in the response, e.g. {@code hit}, {@code no-hit}
   */
  record Classified(List<String> errorKinds, List<String> outcomes) {}

  Classified classify(int status, String body) {
    if (status != 200) {
      return new Classified(List.of("http-" + status), List.of());
    }
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (Exception e) {
      return new Classified(List.of("malformed-response"), List.of());
    }
    List<String> outcomes = new java.util.ArrayList<>();
    for (JsonNode answer : root.path("answers")) {
      outcomes.add(answer.path("outcome").asText("missing"));
    }
    if (root.has("combined")) {
      outcomes.add("combined-" + root.path("combined").path("outcome").asText("missing"));
    }
    List<String> errors = new java.util.ArrayList<>();
    if (outcomes.contains("unavailable")) {
      errors.add("unavailable");
    }
    if (outcomes.contains("refused")) {
      errors.add("refused");
    }
    if (outcomes.isEmpty()) {
      errors.add("no-answers");
    }
    return new Classified(List.copyOf(errors), List.copyOf(outcomes));
  }
}
