package nl.schakel.covenant;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A hard refusal, stronger than any rule: these responders never answer about these subjects.
 *
 * @param responders party ids, in file order
 * @param subjects subject types, in file order
 * @param reason the convenant's own words, shown to askers
 */
public record Refusal(List<String> responders, Set<SubjectType> subjects, String reason) {

  public Refusal {
    responders = List.copyOf(responders);
    subjects = Ordered.set(subjects);
    Objects.requireNonNull(reason, "reason");
  }

  /** Whether it stops {@code responder} from answering about {@code subject}. */
  public boolean refuses(String responder, SubjectType subject) {
    return responders.contains(responder) && subjects.contains(subject);
  }
}
