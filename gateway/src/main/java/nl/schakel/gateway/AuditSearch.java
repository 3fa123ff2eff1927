package nl.schakel.gateway;

import java.time.Instant;
import java.util.Optional;

/**
 * The criteria of {@code POST /v1/audit/search}, validated; an entry matches when it meets every
 * criterion given. {@code from} is inclusive, {@code to} exclusive. The subject is in clear only
 * until it is pseudonymised with the audit key.
 */
record AuditSearch(
    Optional<QuerySubject> subject,
    Optional<String> purpose,
    Optional<String> analyst,
    Optional<String> caseReference,
    Optional<Instant> from,
    Optional<Instant> to) {

  @Override
  public String toString() {
    // The subject's identifier must never reach a log line.
    return "AuditSearch[subject=" + subject.map(s -> s.type().toString()).orElse("any") + "]";
  }
}
