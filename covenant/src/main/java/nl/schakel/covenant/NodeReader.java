package nl.schakel.covenant;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed reads from SnakeYAML nodes. Each read either returns a value or reports exactly why not
 * (at the node's line and column) and returns empty, so the caller carries on and every error in
 * the file is found in one pass.
 *
 * <p>Scalars are read by what the format expects, not by YAML's implicit typing: {@code 3} and
 * {@code "3"} are the same version, so quoting style never changes meaning. Anchors and aliases
 * are refused before a node is looked into, which is also what keeps alias bombs ("billion
 * laughs") from ever being expanded.
 */
final class NodeReader {
  /** Longest scalar accepted: a legal basis or title is a sentence, not a document. */
  static final int MAX_TEXT = 4096;

  private static final Set<Tag> SCALAR_TAGS =
      Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.TIMESTAMP);
  private static final Pattern WHOLE_NUMBER = Pattern.compile("0|[1-9][0-9]{0,8}");
  private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
  private static final Pattern PERIOD =
      Pattern.compile("P(?:([0-9]{1,4})Y)?(?:([0-9]{1,4})M)?(?:([0-9]{1,4})W)?(?:([0-9]{1,5})D)?");
  private static final Pattern WINDOW =
      Pattern.compile(
          "P(?:([0-9]{1,4})W)?(?:([0-9]{1,5})D)?(?:T(?:([0-9]{1,6})H)?(?:([0-9]{1,7})M)?(?:([0-9]{1,9})S)?)?");

  private final Problems problems;

  NodeReader(Problems problems) {
    this.problems = problems;
  }

  Problems problems() {
    return problems;
  }

  /** A key/value pair of a mapping whose keys are names chosen by the author (party ids, ...). */
  record Entry(String key, Node keyNode, Node value) {}

  /**
   * A mapping with fixed keys: reports unknown keys (with a suggestion), keys given twice and
   * missing required keys.
   */
  Optional<Mapping> mapping(
      Node node, String context, String what, Set<String> allowed, List<String> required) {
    Optional<List<Entry>> entries = entries(node, context, what, "key");
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Node> values = new LinkedHashMap<>();
    for (Entry e : entries.get()) {
      if (!allowed.contains(e.key())) {
        problems.at(
            e.keyNode(),
            context,
            "unknown key "
                + Problems.quote(e.key())
                + Suggestions.didYouMean(e.key(), allowed.stream().sorted().toList()));
      } else {
        values.put(e.key(), e.value());
      }
    }
    for (String key : required) {
      if (!values.containsKey(key)) {
        problems.at(node, context, "missing required key '" + key + "'");
      }
    }
    return Optional.of(new Mapping(node, values));
  }

  /**
   * A mapping's entries in file order; a key given twice is reported (SnakeYAML's composer keeps
   * both) and only the first is returned.
   *
   * @param keyWord how a key is called in messages ("party", "purpose", "key")
   */
  Optional<List<Entry>> entries(Node node, String context, String what, String keyWord) {
    if (!usable(node, context, what)) {
      return Optional.empty();
    }
    if (!(node instanceof MappingNode mapping)) {
      problems.at(node, context, what + " must be a mapping of names to values, found " + kind(node));
      return Optional.empty();
    }
    List<Entry> entries = new ArrayList<>();
    Map<String, Node> seen = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (keyNode instanceof ScalarNode s && Tag.MERGE.equals(s.getTag())) {
        problems.at(keyNode, context, "merge keys (<<) are not allowed; write every value out");
        continue;
      }
      Optional<String> key = text(keyNode, context, keyWord + " name");
      if (key.isEmpty()) {
        continue;
      }
      Node first = seen.get(key.get());
      if (first != null) {
        problems.at(
            keyNode,
            context,
            keyWord
                + " "
                + Problems.quote(key.get())
                + " appears twice (first at line "
                + (first.getStartMark().getLine() + 1)
                + ")");
        continue;
      }
      seen.put(key.get(), keyNode);
      entries.add(new Entry(key.get(), keyNode, tuple.getValueNode()));
    }
    return Optional.of(entries);
  }

  /** A sequence's items; with {@code nonEmpty}, an empty list is reported. */
  Optional<List<Node>> list(Node node, String context, String what, boolean nonEmpty) {
    if (!usable(node, context, what)) {
      return Optional.empty();
    }
    if (!(node instanceof SequenceNode sequence)) {
      problems.at(node, context, what + " must be a list such as [a, b], found " + kind(node));
      return Optional.empty();
    }
    if (nonEmpty && sequence.getValue().isEmpty()) {
      problems.at(node, context, what + " must not be empty");
      return Optional.empty();
    }
    return Optional.of(sequence.getValue());
  }

  /** Non-blank text of at most {@link #MAX_TEXT} characters without control characters. */
  Optional<String> text(Node node, String context, String what) {
    Optional<String> raw = scalar(node, context, what);
    if (raw.isEmpty()) {
      return raw;
    }
    String value = raw.get();
    if (value.isBlank()) {
      problems.at(node, context, what + " must not be empty");
      return Optional.empty();
    }
    if (value.length() > MAX_TEXT) {
      problems.at(
          node,
          context,
          what + " is " + value.length() + " characters long; at most " + MAX_TEXT + " are allowed");
      return Optional.empty();
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) && c != '\n' && c != '\t') {
        problems.at(node, context, what + " contains control character U+" + hex4(c));
        return Optional.empty();
      }
      // A lone surrogate (possible via a "\ud800" escape) is not Unicode and has no UTF-8 form.
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        problems.at(node, context, what + " contains an unpaired surrogate U+" + hex4(c));
        return Optional.empty();
      }
    }
    return Optional.of(value);
  }

  /** Text matching {@code pattern} in full; {@code shape} says what was expected. */
  Optional<String> name(Node node, String context, String what, Pattern pattern, String shape) {
    Optional<String> value = text(node, context, what);
    if (value.isPresent() && !pattern.matcher(value.get()).matches()) {
      problems.at(
          node, context, what + " must match " + shape + ", found " + Problems.quote(value.get()));
      return Optional.empty();
    }
    return value;
  }

  /** A whole decimal number of at least {@code min} (no sign, no leading zeros, no octal/hex). */
  OptionalInt integer(Node node, String context, String what, int min) {
    Optional<String> value = text(node, context, what);
    if (value.isEmpty()) {
      return OptionalInt.empty();
    }
    if (!WHOLE_NUMBER.matcher(value.get()).matches()) {
      problems.at(
          node,
          context,
          what + " must be a whole number of at least " + min + ", found " + Problems.quote(value.get()));
      return OptionalInt.empty();
    }
    int n = Integer.parseInt(value.get());
    if (n < min) {
      problems.at(node, context, what + " must be at least " + min + ", found " + n);
      return OptionalInt.empty();
    }
    return OptionalInt.of(n);
  }

  /** An ISO date, {@code 2026-01-01}. */
  Optional<LocalDate> date(Node node, String context, String what) {
    Optional<String> value = text(node, context, what);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (DATE.matcher(value.get()).matches()) {
      try {
        return Optional.of(LocalDate.parse(value.get()));
      } catch (DateTimeException e) {
        // falls through to the error below: 2026-02-30 has the shape but is no day
      }
    }
    problems.at(
        node, context, what + " must be a date such as 2026-01-01, found " + Problems.quote(value.get()));
    return Optional.empty();
  }

  /** {@code true} or {@code false}; YAML 1.1's yes/no/on/off are refused as ambiguous. */
  Optional<Boolean> bool(Node node, String context, String what) {
    Optional<String> value = text(node, context, what);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    switch (value.get()) {
      case "true":
        return Optional.of(true);
      case "false":
        return Optional.of(false);
      default:
        problems.at(node, context, what + " must be true or false, found " + Problems.quote(value.get()));
        return Optional.empty();
    }
  }

  /** A positive ISO-8601 date period: years, months, weeks, days ({@code P5Y}, {@code P12M}). */
  Optional<Period> period(Node node, String context, String what) {
    Optional<String> value = text(node, context, what);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = PERIOD.matcher(value.get());
    if (!m.matches() || value.get().equals("P")) {
      problems.at(
          node,
          context,
          what
              + " must be an ISO-8601 period of years, months, weeks or days such as P5Y, P12M or P30D, found "
              + Problems.quote(value.get()));
      return Optional.empty();
    }
    Period period =
        Period.of(group(m, 1), group(m, 2), group(m, 3) * 7 + group(m, 4));
    if (period.isZero()) {
      problems.at(node, context, what + " must be longer than zero");
      return Optional.empty();
    }
    return Optional.of(period);
  }

  /**
   * A positive fixed-length ISO-8601 duration: weeks, days, hours, minutes, seconds ({@code P1D},
   * {@code PT1H}). Months and years are refused: they have no fixed length, and a sliding budget
   * window needs one.
   */
  Optional<Duration> window(Node node, String context, String what) {
    Optional<String> value = text(node, context, what);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String v = value.get();
    Matcher m = WINDOW.matcher(v);
    if (!m.matches() || v.equals("P") || v.endsWith("T")) {
      String hint =
          PERIOD.matcher(v).matches() && !v.equals("P")
              ? "; months and years have no fixed length"
              : "";
      problems.at(
          node,
          context,
          what
              + " must be an ISO-8601 duration in weeks, days, hours, minutes or seconds such as P1D or PT1H, found "
              + Problems.quote(v)
              + hint);
      return Optional.empty();
    }
    Duration window =
        Duration.ofDays(group(m, 1) * 7L + group(m, 2))
            .plusHours(group(m, 3))
            .plusMinutes(group(m, 4))
            .plusSeconds(group(m, 5));
    if (window.isZero()) {
      problems.at(node, context, what + " must be longer than zero");
      return Optional.empty();
    }
    return Optional.of(window);
  }

  /**
   * A scalar's text, or empty after reporting why not: not a scalar, no value, anchored/aliased,
   * or carrying a tag the format does not use.
   */
  private Optional<String> scalar(Node node, String context, String what) {
    if (!usable(node, context, what)) {
      return Optional.empty();
    }
    if (!(node instanceof ScalarNode scalar)) {
      problems.at(node, context, what + " must be a single value, found " + kind(node));
      return Optional.empty();
    }
    if (Tag.NULL.equals(scalar.getTag())) {
      problems.at(node, context, what + " has no value");
      return Optional.empty();
    }
    return Optional.of(scalar.getValue());
  }

  /**
   * Refuses anchors, aliases (an alias is the anchored node itself, so the anchor check covers
   * both) and tags other than YAML's core ones. Called before looking inside any node.
   */
  private boolean usable(Node node, String context, String what) {
    if (node.getAnchor() != null) {
      problems.at(
          node, context, what + ": anchors and aliases (&, *) are not allowed; write every value out");
      return false;
    }
    Tag tag = node.getTag();
    boolean allowed =
        switch (node.getNodeId()) {
          case scalar -> SCALAR_TAGS.contains(tag);
          case sequence -> Tag.SEQ.equals(tag);
          case mapping -> Tag.MAP.equals(tag);
          default -> false;
        };
    if (!allowed) {
      problems.at(node, context, what + ": YAML tag " + Problems.quote(tag.getValue()) + " is not allowed");
      return false;
    }
    return true;
  }

  private static int group(Matcher m, int group) {
    String g = m.group(group);
    return g == null ? 0 : Integer.parseInt(g);
  }

  private static String kind(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    if (node instanceof ScalarNode s && Tag.NULL.equals(s.getTag())) {
      return "no value";
    }
    return "a single value";
  }

  private static String hex4(char c) {
    return String.format("%04X", (int) c);
  }
}
