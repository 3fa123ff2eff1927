package nl.schakel.covenant;

import java.time.Duration;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a composed YAML tree into a {@link Covenant}, checking every rule of COVENANT.md and
 * reporting each violation with its place. Declarations (parties, purposes) are read first,
 * whatever their place in the file, so that rules, limits and refusals can be checked against
 * them. A declaration that is itself broken is still registered, so one typo does not cascade
 * into "is not a party" errors everywhere it is referenced.
 */
final class CovenantReader {
  static final Pattern COVENANT_ID = Pattern.compile("[a-z0-9-]{3,64}");
  // Party ids and roles never contain dots: "party.role" in askers splits at the dot.
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,127}");
  static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  static final Pattern SPECIAL = Pattern.compile("[a-z][a-z0-9-]{0,31}");
  static final int MAX_CASE_REFERENCE_PATTERN = 256;
  /** Limits write {@code purpose: any}; no purpose may take that id. */
  static final String ANY = "any";

  private static final String NAME_SHAPE = "[a-z0-9][a-z0-9-]{0,63} (lower case, digits, hyphens)";

  private static final Set<String> TOP_KEYS =
      Set.of(
          "format", "id", "version", "title", "valid", "retention", "parties", "purposes", "rules",
          "limits", "refusals");
  private static final List<String> TOP_REQUIRED =
      List.of("format", "id", "version", "title", "valid", "parties", "purposes", "rules");
  private static final Set<String> VALID_KEYS = Set.of("from", "until");
  private static final Set<String> PARTY_KEYS =
      Set.of("name", "roles", "contact", "categories", "secrecy");
  private static final Set<String> CATEGORY_KEYS = Set.of("subjects", "special");
  private static final Set<String> PURPOSE_KEYS = Set.of("title", "legal-basis", "case-reference");
  private static final Set<String> RULE_KEYS =
      Set.of(
          "id", "purpose", "askers", "responders", "subject", "categories", "answer", "lookback",
          "area-level", "disclosure", "four-eyes");
  private static final List<String> RULE_REQUIRED =
      List.of("id", "purpose", "askers", "responders", "subject", "answer");
  private static final Set<String> DISCLOSURE_KEYS = Set.of("bands", "min", "round", "zero");
  private static final Set<String> LIMIT_KEYS = Set.of("purpose", "per", "max", "window");
  private static final Set<String> REFUSAL_KEYS = Set.of("responders", "subjects", "reason");

  private final NodeReader in;
  private final Problems problems;
  private final String source;

  private final Map<String, Party> parties = new LinkedHashMap<>();
  /** Parties whose roles or categories could not be read: checks against them are skipped. */
  private final Set<String> incomplete = new HashSet<>();
  private boolean partiesKnown;
  private final Map<String, Purpose> purposes = new LinkedHashMap<>();
  private boolean purposesKnown;

  CovenantReader(Problems problems, String source) {
    this.problems = problems;
    this.in = new NodeReader(problems);
    this.source = source;
  }

  /** The convenant, or empty if anything was reported. */
  Optional<Covenant> read(Node root) {
    Optional<Mapping> top = in.mapping(root, "", "the convenant", TOP_KEYS, TOP_REQUIRED);
    if (top.isEmpty()) {
      return Optional.empty();
    }
    Mapping m = top.get();
    m.get("format")
        .ifPresent(
            n ->
                in.text(n, "", "'format'")
                    .filter(f -> !f.equals(Covenant.FORMAT))
                    .ifPresent(
                        f ->
                            problems.at(
                                n,
                                "",
                                "'format' must be '" + Covenant.FORMAT + "', found " + Problems.quote(f))));
    Optional<String> id =
        m.get("id").flatMap(n -> in.name(n, "", "'id'", COVENANT_ID, "[a-z0-9-]{3,64}"));
    OptionalInt version =
        m.get("version").map(n -> in.integer(n, "", "'version'", 1)).orElse(OptionalInt.empty());
    Optional<String> title = m.get("title").flatMap(n -> in.text(n, "", "'title'"));
    Optional<LocalDate[]> valid = m.get("valid").flatMap(this::readValid);
    Optional<Period> retention = m.get("retention").flatMap(n -> in.period(n, "", "'retention'"));
    m.get("parties").ifPresent(this::readParties);
    m.get("purposes").ifPresent(this::readPurposes);
    List<Rule> rules = m.get("rules").map(this::readRules).orElse(List.of());
    List<Limit> limits = m.get("limits").map(this::readLimits).orElse(List.of());
    List<Refusal> refusals = m.get("refusals").map(this::readRefusals).orElse(List.of());
    if (!problems.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Covenant(
            id.orElseThrow(),
            version.orElseThrow(),
            title.orElseThrow(),
            valid.orElseThrow()[0],
            valid.orElseThrow()[1],
            retention,
            parties,
            purposes,
            rules,
            limits,
            refusals,
            source));
  }

  private Optional<LocalDate[]> readValid(Node node) {
    Optional<Mapping> vm = in.mapping(node, "valid", "'valid'", VALID_KEYS, List.of("from", "until"));
    if (vm.isEmpty()) {
      return Optional.empty();
    }
    Optional<LocalDate> from = vm.get().get("from").flatMap(n -> in.date(n, "valid", "'from'"));
    Optional<LocalDate> until = vm.get().get("until").flatMap(n -> in.date(n, "valid", "'until'"));
    if (from.isEmpty() || until.isEmpty()) {
      return Optional.empty();
    }
    if (until.get().isBefore(from.get())) {
      problems.at(
          vm.get().get("until").orElseThrow(),
          "valid",
          "'until' (" + until.get() + ") is before 'from' (" + from.get() + ")");
      return Optional.empty();
    }
    return Optional.of(new LocalDate[] {from.get(), until.get()});
  }

  // ---------------------------------------------------------------- parties

  private void readParties(Node node) {
    Optional<List<NodeReader.Entry>> entries = in.entries(node, "", "'parties'", "party");
    if (entries.isEmpty()) {
      return;
    }
    partiesKnown = true;
    if (entries.get().isEmpty()) {
      problems.at(node, "", "'parties' must name at least one party");
    }
    for (NodeReader.Entry e : entries.get()) {
      String id = e.key();
      String ctx = "party " + id;
      if (!NAME.matcher(id).matches()) {
        problems.at(e.keyNode(), "", "party id must match " + NAME_SHAPE + ", found " + Problems.quote(id));
      }
      readParty(id, ctx, e.value());
    }
  }

  private void readParty(String id, String ctx, Node node) {
    Optional<Mapping> pm = in.mapping(node, ctx, "party " + id, PARTY_KEYS, List.of("name"));
    if (pm.isEmpty()) {
      incomplete.add(id);
      parties.put(id, new Party(id, "", List.of(), Optional.empty(), Map.of(), Optional.empty()));
      return;
    }
    Mapping m = pm.get();
    String name = m.get("name").flatMap(n -> in.text(n, ctx, "'name'")).orElse("");
    List<String> roles = new ArrayList<>();
    m.get("roles").ifPresent(n -> readRoles(id, ctx, n, roles));
    Optional<String> contact = m.get("contact").flatMap(n -> in.text(n, ctx, "'contact'"));
    Map<String, CategoryDeclaration> categories = new LinkedHashMap<>();
    m.get("categories").ifPresent(n -> readCategories(id, ctx, n, categories));
    Optional<String> secrecy = m.get("secrecy").flatMap(n -> in.text(n, ctx, "'secrecy'"));
    parties.put(id, new Party(id, name, roles, contact, categories, secrecy));
  }

  private void readRoles(String party, String ctx, Node node, List<String> roles) {
    Optional<List<Node>> items = in.list(node, ctx, "'roles'", false);
    if (items.isEmpty()) {
      incomplete.add(party);
      return;
    }
    for (Node item : items.get()) {
      Optional<String> role = in.name(item, ctx, "role", NAME, NAME_SHAPE);
      if (role.isEmpty()) {
        incomplete.add(party);
      } else if (roles.contains(role.get())) {
        problems.at(item, ctx, "role " + Problems.quote(role.get()) + " is listed twice");
      } else {
        roles.add(role.get());
      }
    }
  }

  private void readCategories(
      String party, String ctx, Node node, Map<String, CategoryDeclaration> categories) {
    Optional<List<NodeReader.Entry>> entries = in.entries(node, ctx, "'categories'", "category");
    if (entries.isEmpty()) {
      incomplete.add(party);
      return;
    }
    if (entries.get().isEmpty()) {
      problems.at(
          node,
          ctx,
          "'categories' must declare at least one category (leave the key out for a party that only asks)");
    }
    for (NodeReader.Entry e : entries.get()) {
      String category = e.key();
      String cctx = ctx + " category " + category;
      if (!CATEGORY.matcher(category).matches()) {
        problems.at(
            e.keyNode(),
            ctx,
            "category name must match [a-z0-9][a-z0-9._-]{0,127}, found " + Problems.quote(category));
      }
      Optional<Mapping> cm =
          in.mapping(e.value(), cctx, "category " + category, CATEGORY_KEYS, List.of("subjects"));
      if (cm.isEmpty()) {
        incomplete.add(party);
        continue;
      }
      Set<SubjectType> subjects = new LinkedHashSet<>();
      boolean ok =
          cm.get().get("subjects").map(n -> readSubjects(n, cctx, subjects)).orElse(false);
      if (!ok) {
        incomplete.add(party);
      }
      Optional<String> special =
          cm.get()
              .get("special")
              .flatMap(
                  n ->
                      in.name(
                          n,
                          cctx,
                          "'special'",
                          SPECIAL,
                          "a lower-case word such as criminal or health"));
      categories.put(category, new CategoryDeclaration(category, subjects, special));
    }
  }

  /** Reads a non-empty list of subject types into {@code out}; false if anything was wrong. */
  private boolean readSubjects(Node node, String ctx, Set<SubjectType> out) {
    Optional<List<Node>> items = in.list(node, ctx, "'subjects'", true);
    if (items.isEmpty()) {
      return false;
    }
    boolean ok = true;
    for (Node item : items.get()) {
      Optional<SubjectType> subject = subjectType(item, ctx, "subject");
      if (subject.isEmpty()) {
        ok = false;
      } else if (!out.add(subject.get())) {
        problems.at(item, ctx, "subject '" + subject.get().yamlName() + "' is listed twice");
      }
    }
    return ok;
  }

  // ---------------------------------------------------------------- purposes

  private void readPurposes(Node node) {
    Optional<List<NodeReader.Entry>> entries = in.entries(node, "", "'purposes'", "purpose");
    if (entries.isEmpty()) {
      return;
    }
    purposesKnown = true;
    if (entries.get().isEmpty()) {
      problems.at(node, "", "'purposes' must define at least one purpose");
    }
    for (NodeReader.Entry e : entries.get()) {
      String id = e.key();
      String ctx = "purpose " + id;
      if (id.equals(ANY)) {
        problems.at(e.keyNode(), "", "purpose id 'any' is reserved: limits use it for every purpose");
      } else if (!NAME.matcher(id).matches()) {
        problems.at(e.keyNode(), "", "purpose id must match " + NAME_SHAPE + ", found " + Problems.quote(id));
      }
      purposes.put(id, readPurpose(id, ctx, e.value()));
    }
  }

  private Purpose readPurpose(String id, String ctx, Node node) {
    Purpose placeholder = new Purpose(id, "", List.of(), Optional.empty());
    Optional<Mapping> pm = in.mapping(node, ctx, "purpose " + id, PURPOSE_KEYS, List.of("title"));
    if (pm.isEmpty()) {
      return placeholder;
    }
    Mapping m = pm.get();
    String title = m.get("title").flatMap(n -> in.text(n, ctx, "'title'")).orElse("");
    List<String> legalBasis = new ArrayList<>();
    if (m.has("legal-basis")) {
      in.list(m.get("legal-basis").orElseThrow(), ctx, "'legal-basis'", true)
          .ifPresent(
              items -> items.forEach(i -> in.text(i, ctx, "legal basis").ifPresent(legalBasis::add)));
    } else {
      problems.at(
          node, ctx, "no legal basis: add 'legal-basis' with at least one grondslag (AVG art. 6)");
    }
    Optional<Pattern> caseReference =
        m.get("case-reference").flatMap(n -> casePattern(n, ctx));
    return new Purpose(id, title, legalBasis, caseReference);
  }

  private Optional<Pattern> casePattern(Node node, String ctx) {
    Optional<String> source = in.text(node, ctx, "'case-reference'");
    if (source.isEmpty()) {
      return Optional.empty();
    }
    if (source.get().length() > MAX_CASE_REFERENCE_PATTERN) {
      problems.at(
          node,
          ctx,
          "'case-reference' is longer than " + MAX_CASE_REFERENCE_PATTERN + " characters");
      return Optional.empty();
    }
    try {
      return Optional.of(Pattern.compile(source.get()));
    } catch (PatternSyntaxException e) {
      problems.at(
          node,
          ctx,
          "'case-reference' is not a valid regular expression: "
              + e.getDescription()
              + " near position "
              + e.getIndex());
      return Optional.empty();
    } catch (RuntimeException e) {
      // Pattern.compile can also fail outside PatternSyntaxException on pathological input.
      problems.at(node, ctx, "'case-reference' is not a valid regular expression");
      return Optional.empty();
    }
  }

  // ---------------------------------------------------------------- rules

  private record Drafted(Rule rule, Node node, String ctx) {}

  private List<Rule> readRules(Node node) {
    Optional<List<Node>> items = in.list(node, "", "'rules'", true);
    if (items.isEmpty()) {
      return List.of();
    }
    Map<String, Node> ids = new HashMap<>();
    List<Drafted> drafted = new ArrayList<>();
    for (int i = 0; i < items.get().size(); i++) {
      Node item = items.get().get(i);
      String ctx = peekRuleId(item).map(id -> "rule " + id).orElse("rules[" + i + "]");
      readRule(item, ctx, ids).ifPresent(r -> drafted.add(new Drafted(r, item, ctx)));
    }
    checkOverlaps(drafted);
    return drafted.stream().map(Drafted::rule).toList();
  }

  /** The rule's id if it is plainly written, so errors before the id key can name the rule. */
  private static Optional<String> peekRuleId(Node item) {
    if (item instanceof MappingNode m && m.getAnchor() == null) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k
            && k.getValue().equals("id")
            && t.getValueNode() instanceof ScalarNode v
            && RULE_ID.matcher(v.getValue()).matches()) {
          return Optional.of(v.getValue());
        }
      }
    }
    return Optional.empty();
  }

  private Optional<Rule> readRule(Node item, String ctx, Map<String, Node> ids) {
    Optional<Mapping> rm = in.mapping(item, ctx, "rule", RULE_KEYS, RULE_REQUIRED);
    if (rm.isEmpty()) {
      return Optional.empty();
    }
    Mapping m = rm.get();
    boolean ok = true;
    Optional<String> id =
        m.get("id").flatMap(n -> in.name(n, ctx, "'id'", RULE_ID, "[A-Za-z0-9][A-Za-z0-9._-]{0,63}"));
    if (id.isPresent()) {
      Node first = ids.putIfAbsent(id.get(), m.get("id").orElseThrow());
      if (first != null) {
        problems.at(
            m.get("id").orElseThrow(),
            ctx,
            "rule id "
                + Problems.quote(id.get())
                + " is used twice (first at line "
                + (first.getStartMark().getLine() + 1)
                + ")");
        ok = false;
      }
    }
    Optional<String> purpose = m.get("purpose").flatMap(n -> purposeRef(n, ctx, "'purpose'"));
    Optional<SubjectType> subject = m.get("subject").flatMap(n -> subjectType(n, ctx, "'subject'"));
    Optional<List<Asker>> askers = m.get("askers").flatMap(n -> readAskers(n, ctx));
    Optional<List<String>> responders =
        m.get("responders").flatMap(n -> readResponders(n, ctx, subject));
    Optional<CategorySelection> categories =
        m.get("categories")
            .map(n -> readCategorySelection(n, ctx, subject, responders))
            .orElse(Optional.of(new CategorySelection.Any()));
    Optional<AnswerKind> answer = m.get("answer").flatMap(n -> answerKind(n, ctx));
    if (answer.isPresent() && subject.isPresent() && subject.get() == SubjectType.AREA
        && answer.get() != AnswerKind.COUNT) {
      problems.at(
          m.get("answer").orElseThrow(),
          ctx,
          "answer '"
              + answer.get().yamlName()
              + "' is not allowed for subject area: area questions are answered with count only");
      ok = false;
    }
    Optional<Period> lookback = Optional.empty();
    if (m.has("lookback")) {
      lookback = in.period(m.get("lookback").orElseThrow(), ctx, "'lookback'");
      ok &= lookback.isPresent();
    }
    Optional<AreaLevel> areaLevel = Optional.empty();
    if (m.has("area-level")) {
      Node n = m.get("area-level").orElseThrow();
      if (subject.isPresent() && subject.get() != SubjectType.AREA) {
        problems.at(
            n,
            ctx,
            "'area-level' is only allowed with subject area (this rule is about "
                + subject.get().yamlName()
                + ")");
        ok = false;
      } else {
        areaLevel = areaLevel(n, ctx);
        ok &= areaLevel.isPresent();
      }
    } else if (subject.isPresent() && subject.get() == SubjectType.AREA) {
      problems.at(item, ctx, "subject area needs 'area-level' (buurt, wijk or gemeente)");
      ok = false;
    }
    Optional<Disclosure> disclosure = Optional.empty();
    if (m.has("disclosure")) {
      Node n = m.get("disclosure").orElseThrow();
      if (answer.isPresent() && answer.get() != AnswerKind.COUNT) {
        problems.at(
            n,
            ctx,
            "'disclosure' is only allowed with answer count (this rule answers "
                + answer.get().yamlName()
                + ")");
        ok = false;
      } else {
        disclosure = readDisclosure(n, ctx);
        ok &= disclosure.isPresent();
      }
    }
    boolean fourEyes = false;
    if (m.has("four-eyes")) {
      Optional<Boolean> b = in.bool(m.get("four-eyes").orElseThrow(), ctx, "'four-eyes'");
      ok &= b.isPresent();
      fourEyes = b.orElse(false);
    }
    if (!ok
        || id.isEmpty()
        || purpose.isEmpty()
        || subject.isEmpty()
        || askers.isEmpty()
        || responders.isEmpty()
        || categories.isEmpty()
        || answer.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Rule(
            id.get(),
            purpose.get(),
            askers.get(),
            responders.get(),
            subject.get(),
            categories.get(),
            answer.get(),
            lookback,
            areaLevel,
            disclosure,
            fourEyes));
  }

  private Optional<List<Asker>> readAskers(Node node, String ctx) {
    Optional<List<Node>> items = in.list(node, ctx, "'askers'", true);
    if (items.isEmpty()) {
      return Optional.empty();
    }
    List<Asker> askers = new ArrayList<>();
    boolean ok = true;
    for (Node item : items.get()) {
      Optional<Asker> asker = asker(item, ctx);
      if (asker.isEmpty()) {
        ok = false;
        continue;
      }
      Optional<Asker> clash = askers.stream().filter(a -> a.overlaps(asker.get())).findFirst();
      if (clash.isPresent()) {
        problems.at(
            item,
            ctx,
            clash.get().equals(asker.get())
                ? "asker '" + asker.get() + "' is listed twice"
                : "asker '" + asker.get() + "' overlaps asker '" + clash.get() + "' of the same rule");
        ok = false;
      } else {
        askers.add(asker.get());
      }
    }
    return ok ? Optional.of(askers) : Optional.empty();
  }

  private Optional<Asker> asker(Node item, String ctx) {
    Optional<String> text = in.text(item, ctx, "asker");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String written = text.get();
    int dot = written.indexOf('.');
    String party = dot < 0 ? written : written.substring(0, dot);
    Optional<String> role = dot < 0 ? Optional.empty() : Optional.of(written.substring(dot + 1));
    if (!NAME.matcher(party).matches() || !role.map(r -> NAME.matcher(r).matches()).orElse(true)) {
      problems.at(
          item, ctx, "asker must be 'party' or 'party.role', found " + Problems.quote(written));
      return Optional.empty();
    }
    if (!partiesKnown) {
      return Optional.of(new Asker(party, role));
    }
    Party p = parties.get(party);
    if (p == null) {
      problems.at(
          item,
          ctx,
          "asker "
              + Problems.quote(party)
              + " is not a party"
              + Suggestions.didYouMean(party, parties.keySet()));
      return Optional.empty();
    }
    if (role.isPresent() && !incomplete.contains(party) && !p.hasRole(role.get())) {
      if (p.roles().isEmpty()) {
        problems.at(
            item,
            ctx,
            "party "
                + party
                + " declares no roles, so asker "
                + Problems.quote(written)
                + " names an unknown role; write '"
                + party
                + "' to let anyone of it ask, or add 'roles'");
      } else {
        problems.at(
            item,
            ctx,
            "asker "
                + Problems.quote(written)
                + ": party "
                + party
                + " has no role "
                + Problems.quote(role.get())
                + Suggestions.didYouMean(role.get(), p.roles())
                + "; its roles are "
                + String.join(", ", p.roles()));
      }
      return Optional.empty();
    }
    return Optional.of(new Asker(party, role));
  }

  private Optional<List<String>> readResponders(
      Node node, String ctx, Optional<SubjectType> subject) {
    Optional<List<Node>> items = in.list(node, ctx, "'responders'", true);
    if (items.isEmpty()) {
      return Optional.empty();
    }
    List<String> responders = new ArrayList<>();
    boolean ok = true;
    for (Node item : items.get()) {
      Optional<String> responder = partyRef(item, ctx, "responder");
      if (responder.isEmpty()) {
        ok = false;
        continue;
      }
      String r = responder.get();
      if (responders.contains(r)) {
        problems.at(item, ctx, "responder '" + r + "' is listed twice");
        ok = false;
        continue;
      }
      responders.add(r);
      Party p = parties.get(r);
      if (p == null || incomplete.contains(r)) {
        continue;
      }
      if (p.boundBySecrecy()) {
        problems.at(
            item,
            ctx,
            "responder '"
                + r
                + "' is bound by secrecy ("
                + p.secrecy().orElseThrow()
                + ") and never answers; no rule may name it");
        ok = false;
      } else if (p.categories().isEmpty()) {
        problems.at(
            item,
            ctx,
            "responder '" + r + "' declares no categories, so it holds no records and cannot answer");
        ok = false;
      } else if (subject.isPresent() && !p.declares(subject.get())) {
        problems.at(
            item,
            ctx,
            "responder '"
                + r
                + "' declares no category about subject "
                + subject.get().yamlName());
        ok = false;
      }
    }
    return ok ? Optional.of(responders) : Optional.empty();
  }

  /**
   * {@code any}, or a list of categories. A listed category must be declared for the rule's
   * subject type by at least one of its responders, and every responder must declare at least one
   * listed category for it: otherwise part of the rule could never apply, which is a drafting
   * mistake, not a permission.
   */
  private Optional<CategorySelection> readCategorySelection(
      Node node, String ctx, Optional<SubjectType> subject, Optional<List<String>> responders) {
    if (!(node instanceof SequenceNode)) {
      Optional<String> text = in.text(node, ctx, "'categories'");
      if (text.isEmpty()) {
        return Optional.empty();
      }
      if (!text.get().equals(ANY)) {
        problems.at(
            node,
            ctx,
            "'categories' must be 'any' or a list of categories such as [melding], found "
                + Problems.quote(text.get()));
        return Optional.empty();
      }
      return Optional.of(new CategorySelection.Any());
    }
    Optional<List<Node>> items = in.list(node, ctx, "'categories'", true);
    if (items.isEmpty()) {
      return Optional.empty();
    }
    boolean checkable =
        partiesKnown
            && subject.isPresent()
            && responders.isPresent()
            && responders.get().stream()
                .allMatch(r -> parties.containsKey(r) && !incomplete.contains(r));
    List<String> names = new ArrayList<>();
    boolean ok = true;
    for (Node item : items.get()) {
      Optional<String> name = in.name(item, ctx, "category", CATEGORY, "a category name");
      if (name.isEmpty()) {
        ok = false;
        continue;
      }
      String c = name.get();
      if (names.contains(c)) {
        problems.at(item, ctx, "category '" + c + "' is listed twice");
        ok = false;
        continue;
      }
      names.add(c);
      if (checkable) {
        ok &= checkListedCategory(item, ctx, c, subject.get(), responders.get());
      }
    }
    if (ok && checkable) {
      for (String r : responders.get()) {
        Party p = parties.get(r);
        if (names.stream().noneMatch(p.categoriesFor(subject.get())::contains)) {
          problems.at(
              node,
              ctx,
              "responder '"
                  + r
                  + "' declares none of the listed categories about subject "
                  + subject.get().yamlName()
                  + " (it declares "
                  + String.join(", ", p.categoriesFor(subject.get()))
                  + ")");
          ok = false;
        }
      }
    }
    return ok ? Optional.of(new CategorySelection.Listed(names)) : Optional.empty();
  }

  private boolean checkListedCategory(
      Node item, String ctx, String category, SubjectType subject, List<String> responders) {
    List<String> holders = new ArrayList<>();
    List<String> known = new ArrayList<>();
    for (String r : responders) {
      Party p = parties.get(r);
      CategoryDeclaration d = p.categories().get(category);
      if (d != null && d.covers(subject)) {
        return true;
      }
      if (d != null) {
        holders.add(r + " (" + d.subjects().stream().map(SubjectType::yamlName).toList() + ")");
      }
      known.addAll(p.categoriesFor(subject));
    }
    if (!holders.isEmpty()) {
      problems.at(
          item,
          ctx,
          "category '"
              + category
              + "' is not about subject "
              + subject.yamlName()
              + " at "
              + String.join(", ", holders));
    } else {
      problems.at(
          item,
          ctx,
          "category '"
              + category
              + "' is not declared by any responder of this rule"
              + Suggestions.didYouMean(category, known));
    }
    return false;
  }

  private Optional<Disclosure> readDisclosure(Node node, String ctx) {
    Optional<Mapping> dm = in.mapping(node, ctx, "'disclosure'", DISCLOSURE_KEYS, List.of());
    if (dm.isEmpty()) {
      return Optional.empty();
    }
    Mapping m = dm.get();
    boolean minRound = m.has("min") || m.has("round") || m.has("zero");
    if (m.has("bands")) {
      if (minRound) {
        problems.at(node, ctx, "'disclosure' takes either 'bands' or 'min' and 'round', not both");
        return Optional.empty();
      }
      return readBands(m.get("bands").orElseThrow(), ctx);
    }
    if (!minRound) {
      problems.at(
          node, ctx, "'disclosure' needs either 'bands' (e.g. [0, 1, 3, 6]) or 'min' and 'round'");
      return Optional.empty();
    }
    OptionalInt min = OptionalInt.empty();
    OptionalInt round = OptionalInt.empty();
    if (m.has("min")) {
      min = in.integer(m.get("min").orElseThrow(), ctx, "'min'", 1);
    } else {
      problems.at(node, ctx, "'disclosure' with 'round' needs 'min' (counts below it show as <min)");
    }
    if (m.has("round")) {
      round = in.integer(m.get("round").orElseThrow(), ctx, "'round'", 1);
    } else {
      problems.at(node, ctx, "'disclosure' with 'min' needs 'round' (use round: 1 for no rounding)");
    }
    Optional<Boolean> suppressZero = Optional.of(false);
    if (m.has("zero")) {
      Node z = m.get("zero").orElseThrow();
      suppressZero =
          in.text(z, ctx, "'zero'")
              .flatMap(
                  v -> {
                    if (v.equals("suppress") || v.equals("show")) {
                      return Optional.of(v.equals("suppress"));
                    }
                    problems.at(z, ctx, "'zero' must be show or suppress, found " + Problems.quote(v));
                    return Optional.empty();
                  });
    }
    if (min.isEmpty() || round.isEmpty() || suppressZero.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Disclosure.MinRound(min.getAsInt(), round.getAsInt(), suppressZero.get()));
  }

  private Optional<Disclosure> readBands(Node node, String ctx) {
    Optional<List<Node>> items = in.list(node, ctx, "'bands'", true);
    if (items.isEmpty()) {
      return Optional.empty();
    }
    List<Integer> bounds = new ArrayList<>();
    for (Node item : items.get()) {
      OptionalInt bound = in.integer(item, ctx, "band bound", 0);
      if (bound.isEmpty()) {
        return Optional.empty();
      }
      if (bounds.isEmpty() && bound.getAsInt() != 0) {
        problems.at(item, ctx, "'bands' must start at 0, so that zero has a band of its own");
        return Optional.empty();
      }
      if (!bounds.isEmpty() && bound.getAsInt() <= bounds.get(bounds.size() - 1)) {
        problems.at(
            item,
            ctx,
            "'bands' must be strictly increasing, but "
                + bound.getAsInt()
                + " follows "
                + bounds.get(bounds.size() - 1));
        return Optional.empty();
      }
      bounds.add(bound.getAsInt());
    }
    if (bounds.size() < 2) {
      problems.at(node, ctx, "'bands' needs at least two bounds, e.g. [0, 1, 3, 6]");
      return Optional.empty();
    }
    return Optional.of(new Disclosure.Bands(bounds));
  }

  /**
   * Two rules overlap when one person could be asking under both: same purpose and subject type, a
   * shared responder, and askers of the same party with the same role or one of them any role.
   */
  private void checkOverlaps(List<Drafted> drafted) {
    for (int j = 1; j < drafted.size(); j++) {
      Rule b = drafted.get(j).rule();
      for (int i = 0; i < j; i++) {
        Rule a = drafted.get(i).rule();
        if (!a.purpose().equals(b.purpose()) || a.subject() != b.subject()) {
          continue;
        }
        Optional<String> responder =
            b.responders().stream().filter(a.responders()::contains).findFirst();
        if (responder.isEmpty()) {
          continue;
        }
        for (Asker x : b.askers()) {
          Optional<Asker> y = a.askers().stream().filter(x::overlaps).findFirst();
          if (y.isPresent()) {
            problems.at(
                drafted.get(j).node(),
                drafted.get(j).ctx(),
                "overlaps rule "
                    + a.id()
                    + ": both let "
                    + (x.role().isPresent() ? x : y.get())
                    + " ask "
                    + responder.get()
                    + " about subject "
                    + b.subject().yamlName()
                    + " for purpose "
                    + b.purpose()
                    + "; rules for the same purpose, asker, responder and subject must not overlap");
            break;
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- limits and refusals

  private List<Limit> readLimits(Node node) {
    Optional<List<Node>> items = in.list(node, "", "'limits'", false);
    if (items.isEmpty()) {
      return List.of();
    }
    List<Limit> limits = new ArrayList<>();
    for (int i = 0; i < items.get().size(); i++) {
      String ctx = "limits[" + i + "]";
      Optional<Mapping> lm =
          in.mapping(items.get().get(i), ctx, "limit", LIMIT_KEYS, List.of("purpose", "per", "max", "window"));
      if (lm.isEmpty()) {
        continue;
      }
      Mapping m = lm.get();
      Optional<Optional<String>> purpose =
          m.get("purpose")
              .flatMap(
                  n ->
                      in.text(n, ctx, "'purpose'")
                          .flatMap(
                              p -> {
                                if (p.equals(ANY)) {
                                  return Optional.of(Optional.<String>empty());
                                }
                                if (purposesKnown && !purposes.containsKey(p)) {
                                  List<String> choices = new ArrayList<>(purposes.keySet());
                                  choices.add(ANY);
                                  problems.at(
                                      n,
                                      ctx,
                                      "'purpose' must be 'any' or a purpose of this convenant, found "
                                          + Problems.quote(p)
                                          + Suggestions.didYouMean(p, choices));
                                  return Optional.empty();
                                }
                                return Optional.of(Optional.of(p));
                              }));
      Optional<Limit.Per> per =
          m.get("per")
              .flatMap(
                  n ->
                      in.text(n, ctx, "'per'")
                          .flatMap(
                              p -> {
                                Optional<Limit.Per> found = Limit.Per.lookup(p);
                                if (found.isEmpty()) {
                                  problems.at(
                                      n,
                                      ctx,
                                      "'per' must be analyst or party, found "
                                          + Problems.quote(p)
                                          + Suggestions.didYouMean(p, List.of("analyst", "party")));
                                }
                                return found;
                              }));
      OptionalInt max =
          m.get("max").map(n -> in.integer(n, ctx, "'max'", 1)).orElse(OptionalInt.empty());
      Optional<Duration> window = m.get("window").flatMap(n -> in.window(n, ctx, "'window'"));
      if (purpose.isPresent() && per.isPresent() && max.isPresent() && window.isPresent()) {
        limits.add(new Limit(purpose.get(), per.get(), max.getAsInt(), window.get()));
      }
    }
    return limits;
  }

  private List<Refusal> readRefusals(Node node) {
    Optional<List<Node>> items = in.list(node, "", "'refusals'", false);
    if (items.isEmpty()) {
      return List.of();
    }
    List<Refusal> refusals = new ArrayList<>();
    for (int i = 0; i < items.get().size(); i++) {
      String ctx = "refusals[" + i + "]";
      Optional<Mapping> rm =
          in.mapping(items.get().get(i), ctx, "refusal", REFUSAL_KEYS, List.of("responders", "subjects", "reason"));
      if (rm.isEmpty()) {
        continue;
      }
      Mapping m = rm.get();
      List<String> responders = new ArrayList<>();
      boolean ok =
          m.get("responders")
              .flatMap(n -> in.list(n, ctx, "'responders'", true))
              .map(
                  list -> {
                    boolean all = true;
                    for (Node item : list) {
                      Optional<String> r = partyRef(item, ctx, "responder");
                      if (r.isEmpty()) {
                        all = false;
                      } else if (responders.contains(r.get())) {
                        problems.at(item, ctx, "responder '" + r.get() + "' is listed twice");
                        all = false;
                      } else {
                        responders.add(r.get());
                      }
                    }
                    return all;
                  })
              .orElse(false);
      Set<SubjectType> subjects = new LinkedHashSet<>();
      ok &= m.get("subjects").map(n -> readSubjects(n, ctx, subjects)).orElse(false);
      Optional<String> reason = m.get("reason").flatMap(n -> in.text(n, ctx, "'reason'"));
      if (ok && reason.isPresent()) {
        refusals.add(new Refusal(responders, subjects, reason.get()));
      }
    }
    return refusals;
  }

  // ---------------------------------------------------------------- references

  private Optional<String> partyRef(Node node, String ctx, String what) {
    Optional<String> id = in.text(node, ctx, what);
    if (id.isPresent() && partiesKnown && !parties.containsKey(id.get())) {
      problems.at(
          node,
          ctx,
          what
              + " "
              + Problems.quote(id.get())
              + " is not a party"
              + Suggestions.didYouMean(id.get(), parties.keySet()));
      return Optional.empty();
    }
    return id;
  }

  private Optional<String> purposeRef(Node node, String ctx, String what) {
    Optional<String> id = in.text(node, ctx, what);
    if (id.isPresent() && purposesKnown && !purposes.containsKey(id.get())) {
      problems.at(
          node,
          ctx,
          what
              + " "
              + Problems.quote(id.get())
              + " is not a purpose of this convenant"
              + Suggestions.didYouMean(id.get(), purposes.keySet()));
      return Optional.empty();
    }
    return id;
  }

  private Optional<SubjectType> subjectType(Node node, String ctx, String what) {
    return in.text(node, ctx, what)
        .flatMap(
            v -> {
              Optional<SubjectType> t = SubjectType.lookup(v);
              if (t.isEmpty()) {
                problems.at(
                    node,
                    ctx,
                    what
                        + " must be person, address, organisation or area, found "
                        + Problems.quote(v)
                        + Suggestions.didYouMean(v, names(SubjectType.values())));
              }
              return t;
            });
  }

  private Optional<AnswerKind> answerKind(Node node, String ctx) {
    return in.text(node, ctx, "'answer'")
        .flatMap(
            v -> {
              Optional<AnswerKind> k = AnswerKind.lookup(v);
              if (k.isEmpty()) {
                problems.at(
                    node,
                    ctx,
                    "'answer' must be hit-per-party, hit-any or count, found "
                        + Problems.quote(v)
                        + Suggestions.didYouMean(v, names(AnswerKind.values())));
              }
              return k;
            });
  }

  private Optional<AreaLevel> areaLevel(Node node, String ctx) {
    return in.text(node, ctx, "'area-level'")
        .flatMap(
            v -> {
              Optional<AreaLevel> l = AreaLevel.lookup(v);
              if (l.isEmpty()) {
                problems.at(
                    node,
                    ctx,
                    "'area-level' must be buurt, wijk or gemeente, found "
                        + Problems.quote(v)
                        + Suggestions.didYouMean(v, names(AreaLevel.values())));
              }
              return l;
            });
  }

  private static List<String> names(SubjectType[] values) {
    return Arrays.stream(values).map(SubjectType::yamlName).toList();
  }

  private static List<String> names(AnswerKind[] values) {
    return Arrays.stream(values).map(AnswerKind::yamlName).toList();
  }

  private static List<String> names(AreaLevel[] values) {
    return Arrays.stream(values).map(AreaLevel::yamlName).toList();
  }
}
