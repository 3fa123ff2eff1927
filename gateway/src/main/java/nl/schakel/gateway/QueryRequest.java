package nl.schakel.gateway;

import java.util.List;
import java.util.Optional;

/**
 * A question as the analyst sent it, after validation: every field has the type and form the API
 * promises. Whether the convenant allows it is decided later.
 */
record QueryRequest(
    String purpose,
    Optional<String> caseReference,
    QuerySubject subject,
    List<String> categories,
    List<String> responders,
    Optional<String> covenant) {

  QueryRequest {
    categories = List.copyOf(categories);
    responders = List.copyOf(responders);
  }
}
