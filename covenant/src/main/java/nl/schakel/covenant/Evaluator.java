package nl.schakel.covenant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The pure decision of COVENANT.md: whether a responder may be asked a question, as a function of
 * the question, the convenant and the day only — never of records, budgets or approvals, so a
 * refusal reveals nothing about the subject. The same convenant gives the same decisions at the
 * gateway and at every node.
 *
 * <p>Checks run in exactly this order and the first failure is the reason: not-a-party,
 * covenant-not-in-force, purpose-unknown, case-reference-missing / -invalid, refused, secrecy,
 * no-rule, category-not-allowed, area-level-not-allowed. ({@code identifier-form-unsupported} is
 * the node's own last check.) Signatures are not looked at: build an Evaluator only for a
 * convenant whose signatures were verified.
 *
 * <p>Thread-safe. Decisions are cached per (question, responder, Amsterdam day); the question
 * holds no subject identifier, so neither does the cache.
 */
public final class Evaluator {
  /** Longer case references are refused unmatched: it bounds the regex work a caller can cause. */
  public static final int MAX_CASE_REFERENCE_LENGTH = 64;

  private static final int CACHE_SIZE = 10_000;
  // Character reads a case-reference match may take; a convenant's pattern that backtracks
  // beyond this on a 64-character input is treated as not matching.
  private static final int MATCH_BUDGET = 100_000;

  private final Covenant covenant;
  private final Cache<Key, Decision> cache;

  private record Key(Question question, String responder, LocalDate day) {}

  /** An evaluator for a parsed (and, by the caller, signature-checked) convenant. */
  public Evaluator(Covenant covenant) {
    this.covenant = Objects.requireNonNull(covenant, "covenant");
    // Same-thread maintenance: no background work, so behaviour is deterministic in tests.
    this.cache = Caffeine.newBuilder().maximumSize(CACHE_SIZE).executor(Runnable::run).build();
  }

  /** The convenant it decides by. */
  public Covenant covenant() {
    return covenant;
  }

  /**
   * Whether {@code responder} may be asked {@code question} at {@code now}. Dates are compared as
   * days in Europe/Amsterdam.
   */
  public Decision decide(Question question, String responder, Instant now) {
    Objects.requireNonNull(question, "question");
    Objects.requireNonNull(responder, "responder");
    LocalDate day = Covenant.dayOf(now);
    return cache.get(new Key(question, responder, day), k -> evaluate(question, responder, day));
  }

  /** {@link #decide} for each responder, in the given order. */
  public List<Decision> decideAll(Question question, List<String> responders, Instant now) {
    return responders.stream().map(r -> decide(question, r, now)).toList();
  }

  /**
   * Every party that declares a category about {@code subject}, in file order: those a question
   * without explicit responders considers. Secrecy parties are included so that askers see them
   * refused, and why.
   */
  public List<String> defaultResponders(SubjectType subject) {
    return covenant.parties().values().stream()
        .filter(p -> p.declares(subject))
        .map(Party::id)
        .toList();
  }

  /**
   * Whether any rule for {@code purpose} lets a person of {@code party} with {@code roles} ask
   * anyone at all: if not, the gateway answers 403 instead of a list of per-party refusals.
   */
  public boolean mayAskAnyone(String party, Set<String> roles, String purpose) {
    return covenant.rules().stream()
        .anyMatch(r -> r.purpose().equals(purpose) && r.lets(party, roles));
  }

  // ------------------------------------------------------------------ the checks, in order

  Decision evaluate(Question q, String responder, LocalDate day) {
    if (!covenant.parties().containsKey(q.askerParty())) {
      return deny(
          responder,
          DenyReason.NOT_A_PARTY,
          "parties",
          "the asking organisation is not a party to convenant " + covenant.label());
    }
    if (!covenant.parties().containsKey(responder)) {
      return deny(
          responder,
          DenyReason.NOT_A_PARTY,
          "parties",
          "the responder is not a party to convenant " + covenant.label());
    }
    if (!covenant.inForceOn(day)) {
      return deny(
          responder,
          DenyReason.COVENANT_NOT_IN_FORCE,
          "valid",
          "convenant "
              + covenant.label()
              + " is in force from "
              + covenant.validFrom()
              + " to "
              + covenant.validUntil()
              + " (inclusive, Europe/Amsterdam), not on "
              + day);
    }
    Purpose purpose = covenant.purposes().get(q.purpose());
    if (purpose == null) {
      return deny(
          responder,
          DenyReason.PURPOSE_UNKNOWN,
          "purposes",
          "convenant "
              + covenant.label()
              + " defines no such purpose; its purposes are "
              + String.join(", ", covenant.purposes().keySet()));
    }
    Optional<Decision> caseReference = checkCaseReference(q, responder, purpose);
    if (caseReference.isPresent()) {
      return caseReference.get();
    }
    List<Refusal> refusals = covenant.refusals();
    for (int i = 0; i < refusals.size(); i++) {
      if (refusals.get(i).refuses(responder, q.subjectType())) {
        return deny(responder, DenyReason.REFUSED, "refusals[" + i + "]", refusals.get(i).reason());
      }
    }
    Party answering = covenant.parties().get(responder);
    if (answering.secrecy().isPresent()) {
      return deny(
          responder,
          DenyReason.SECRECY,
          "parties." + responder + ".secrecy",
          answering.secrecy().get());
    }
    // Rules cannot overlap for one role; a person holding two roles gets the first rule in file order.
    Optional<Rule> rule =
        covenant.rules().stream()
            .filter(r -> r.covers(q.purpose(), q.subjectType(), responder))
            .filter(r -> r.lets(q.askerParty(), q.askerRoles()))
            .findFirst();
    if (rule.isEmpty()) {
      return deny(
          responder,
          DenyReason.NO_RULE,
          "rules",
          "no rule in convenant "
              + covenant.label()
              + " lets "
              + askerLabel(q)
              + " ask "
              + responder
              + " about "
              + article(q.subjectType())
              + " for purpose "
              + purpose.id());
    }
    Rule r = rule.get();
    List<String> declared = answering.categoriesFor(q.subjectType());
    List<String> allowed = declared.stream().filter(r.categories()::allows).toList();
    Set<String> effective;
    if (q.categories().isEmpty()) {
      effective = new LinkedHashSet<>(allowed);
    } else {
      List<String> held = declared.stream().filter(q.categories()::contains).toList();
      if (held.isEmpty()) {
        // The requested names are not echoed: they are the asker's free input.
        return deny(
            responder,
            DenyReason.CATEGORY_NOT_ALLOWED,
            "parties." + responder + ".categories",
            responder
                + " holds none of the requested categories about "
                + article(q.subjectType())
                + "; it holds "
                + String.join(", ", declared));
      }
      List<String> forbidden = held.stream().filter(c -> !allowed.contains(c)).toList();
      if (!forbidden.isEmpty()) {
        return deny(
            responder,
            DenyReason.CATEGORY_NOT_ALLOWED,
            "rules." + r.id() + ".categories",
            "rule "
                + r.id()
                + " lets "
                + responder
                + " answer about "
                + String.join(", ", allowed)
                + " only, not about "
                + String.join(", ", forbidden));
      }
      effective = new LinkedHashSet<>(held);
    }
    if (effective.isEmpty()) {
      return deny(
          responder,
          DenyReason.CATEGORY_NOT_ALLOWED,
          "rules." + r.id() + ".categories",
          "rule " + r.id() + " allows none of the categories " + responder + " holds");
    }
    if (q.subjectType() == SubjectType.AREA
        && r.areaLevel().isPresent()
        && !r.areaLevel().equals(q.areaLevel())) {
      return deny(
          responder,
          DenyReason.AREA_LEVEL_NOT_ALLOWED,
          "rules." + r.id() + ".area-level",
          "rule "
              + r.id()
              + " answers area questions at "
              + r.areaLevel().get().yamlName()
              + " level only, not "
              + q.areaLevel().map(l -> "at " + l.yamlName() + " level").orElse("without a level"));
    }
    return new Decision.Allow(
        responder,
        r.answer(),
        r.disclosure(),
        r.id(),
        purpose.legalBasis(),
        effective,
        r.lookback(),
        r.fourEyes());
  }

  private static Optional<Decision> checkCaseReference(Question q, String responder, Purpose purpose) {
    if (purpose.caseReference().isEmpty()) {
      return Optional.empty();
    }
    Pattern pattern = purpose.caseReference().get();
    String clause = "purposes." + purpose.id() + ".case-reference";
    if (q.caseReference().isEmpty() || q.caseReference().get().isBlank()) {
      return Optional.of(
          deny(
              responder,
              DenyReason.CASE_REFERENCE_MISSING,
              clause,
              "purpose " + purpose.id() + " requires a case reference matching " + pattern.pattern()));
    }
    if (!matches(pattern, q.caseReference().get())) {
      // The given reference is not repeated: it is free input and could hold anything.
      return Optional.of(
          deny(
              responder,
              DenyReason.CASE_REFERENCE_INVALID,
              clause,
              "the case reference does not match "
                  + pattern.pattern()
                  + ", which purpose "
                  + purpose.id()
                  + " requires"));
    }
    return Optional.empty();
  }

  /** Full match of a bounded input, with a bounded amount of regex work. */
  static boolean matches(Pattern pattern, String input) {
    if (input.length() > MAX_CASE_REFERENCE_LENGTH) {
      return false;
    }
    try {
      return pattern.matcher(new BudgetedChars(input, new int[] {MATCH_BUDGET})).matches();
    } catch (BudgetExceeded e) {
      return false;
    }
  }

  private String askerLabel(Question q) {
    Party asker = covenant.parties().get(q.askerParty());
    List<String> known = new ArrayList<>();
    for (String role : asker.roles()) {
      if (q.askerRoles().contains(role)) {
        known.add(q.askerParty() + "." + role);
      }
    }
    if (known.isEmpty()) {
      return q.askerParty() + (asker.roles().isEmpty() ? "" : " (without a role of this convenant)");
    }
    return known.stream().collect(Collectors.joining(" or "));
  }

  private static String article(SubjectType t) {
    return switch (t) {
      case PERSON -> "a person";
      case ADDRESS -> "an address";
      case ORGANISATION -> "an organisation";
      case AREA -> "an area";
    };
  }

  private static Decision deny(String party, DenyReason reason, String clause, String text) {
    return new Decision.Deny(party, reason, clause, text);
  }

  /** Signals that a regex match ran out of budget; no stack trace, it is control flow. */
  private static final class BudgetExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BudgetExceeded() {
      super(null, null, false, false);
    }
  }

  /** A CharSequence that stops the regex engine after a number of character reads. */
  private static final class BudgetedChars implements CharSequence {
    private final String text;
    private final int[] budget;

    BudgetedChars(String text, int[] budget) {
      this.text = text;
      this.budget = budget;
    }

    @Override
    public char charAt(int index) {
      if (--budget[0] < 0) {
        throw new BudgetExceeded();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new BudgetedChars(text.substring(start, end), budget);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
