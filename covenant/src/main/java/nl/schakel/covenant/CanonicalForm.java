package nl.schakel.covenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Period;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The convenant's JSON projection and its hash, as the module README specifies field by field.
 * Keys are the YAML keys; defaults are written out; optional scalars that are absent are left out;
 * sequences keep file order; {@code any} stays the string {@code "any"}. Anything that changes
 * this projection changes every signature, so it changes only with a new format version.
 */
final class CanonicalForm {
  static final String HASH_PREFIX = Covenant.FORMAT + "\n";

  private CanonicalForm() {}

  static String json(Covenant c) {
    return Jcs.serialize(project(c));
  }

  static byte[] hash(Covenant c) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(HASH_PREFIX.getBytes(StandardCharsets.UTF_8));
      return sha256.digest(json(c).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  static Map<String, Object> project(Covenant c) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("format", Covenant.FORMAT);
    o.put("id", c.id());
    o.put("version", c.version());
    o.put("title", c.title());
    o.put("valid", Map.of("from", c.validFrom().toString(), "until", c.validUntil().toString()));
    c.retention().ifPresent(p -> o.put("retention", period(p)));
    Map<String, Object> parties = new LinkedHashMap<>();
    c.parties().forEach((id, p) -> parties.put(id, party(p)));
    o.put("parties", parties);
    Map<String, Object> purposes = new LinkedHashMap<>();
    c.purposes().forEach((id, p) -> purposes.put(id, purpose(p)));
    o.put("purposes", purposes);
    o.put("rules", c.rules().stream().map(CanonicalForm::rule).toList());
    o.put("limits", c.limits().stream().map(CanonicalForm::limit).toList());
    o.put("refusals", c.refusals().stream().map(CanonicalForm::refusal).toList());
    return o;
  }

  private static Map<String, Object> party(Party p) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("name", p.name());
    o.put("roles", p.roles());
    p.contact().ifPresent(v -> o.put("contact", v));
    Map<String, Object> categories = new LinkedHashMap<>();
    p.categories()
        .forEach(
            (name, d) -> {
              Map<String, Object> cat = new LinkedHashMap<>();
              cat.put("subjects", d.subjects().stream().map(SubjectType::yamlName).toList());
              d.special().ifPresent(v -> cat.put("special", v));
              categories.put(name, cat);
            });
    o.put("categories", categories);
    p.secrecy().ifPresent(v -> o.put("secrecy", v));
    return o;
  }

  private static Map<String, Object> purpose(Purpose p) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("title", p.title());
    o.put("legal-basis", p.legalBasis());
    p.caseReference().ifPresent(v -> o.put("case-reference", v.pattern()));
    return o;
  }

  private static Map<String, Object> rule(Rule r) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("id", r.id());
    o.put("purpose", r.purpose());
    o.put("askers", r.askers().stream().map(Asker::toString).toList());
    o.put("responders", r.responders());
    o.put("subject", r.subject().yamlName());
    o.put(
        "categories",
        r.categories() instanceof CategorySelection.Listed listed
            ? listed.names()
            : CovenantReader.ANY);
    o.put("answer", r.answer().yamlName());
    r.lookback().ifPresent(p -> o.put("lookback", period(p)));
    r.areaLevel().ifPresent(l -> o.put("area-level", l.yamlName()));
    r.disclosure().ifPresent(d -> o.put("disclosure", disclosure(d)));
    o.put("four-eyes", r.fourEyes());
    return o;
  }

  private static Map<String, Object> disclosure(Disclosure d) {
    if (d instanceof Disclosure.Bands bands) {
      return Map.of("bands", bands.lowerBounds());
    }
    Disclosure.MinRound m = (Disclosure.MinRound) d;
    return Map.of("min", m.min(), "round", m.round(), "zero", m.suppressZero() ? "suppress" : "show");
  }

  private static Map<String, Object> limit(Limit l) {
    return Map.of(
        "purpose", l.purpose().orElse(CovenantReader.ANY),
        "per", l.per().yamlName(),
        "max", l.max(),
        "window", window(l.window()));
  }

  private static Map<String, Object> refusal(Refusal r) {
    return Map.of(
        "responders", r.responders(),
        "subjects", r.subjects().stream().map(SubjectType::yamlName).toList(),
        "reason", r.reason());
  }

  /** {@code P}, then {@code nY}, {@code nM}, {@code nD} for each non-zero part; weeks as days. */
  static String period(Period p) {
    return p.toString();
  }

  /**
   * Whole days as {@code PnD}; otherwise {@code P[nD]T[nH][nM][nS]} with zero parts left out, so
   * {@code P1D}, {@code PT24H} and {@code P1DT0H} are one and the same window.
   */
  static String window(Duration d) {
    long seconds = d.getSeconds();
    long days = seconds / 86_400;
    long rest = seconds % 86_400;
    StringBuilder b = new StringBuilder("P");
    if (days > 0) {
      b.append(days).append('D');
    }
    if (rest > 0) {
      b.append('T');
      long h = rest / 3600;
      long m = rest % 3600 / 60;
      long s = rest % 60;
      if (h > 0) {
        b.append(h).append('H');
      }
      if (m > 0) {
        b.append(m).append('M');
      }
      if (s > 0) {
        b.append(s).append('S');
      }
    }
    return b.toString();
  }
}
