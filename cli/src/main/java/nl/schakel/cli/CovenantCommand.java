package nl.schakel.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Period;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import nl.schakel.covenant.AnswerKind;
import nl.schakel.covenant.AreaLevel;
import nl.schakel.covenant.CategorySelection;
import nl.schakel.covenant.Covenant;
import nl.schakel.covenant.CovenantParser;
import nl.schakel.covenant.CovenantSignatures;
import nl.schakel.covenant.CovenantSignaturesException;
import nl.schakel.covenant.CovenantValidationException;
import nl.schakel.covenant.Decision;
import nl.schakel.covenant.Disclosure;
import nl.schakel.covenant.Evaluator;
import nl.schakel.covenant.Limit;
import nl.schakel.covenant.Party;
import nl.schakel.covenant.PartyKeys;
import nl.schakel.covenant.PartySignature;
import nl.schakel.covenant.Purpose;
import nl.schakel.covenant.Question;
import nl.schakel.covenant.Refusal;
import nl.schakel.covenant.Rule;
import nl.schakel.covenant.SignatureCheck;
import nl.schakel.covenant.SignedCovenant;
import nl.schakel.covenant.SubjectType;
import nl.schakel.covenant.TamperedCovenantException;
import nl.schakel.covenant.ValidationError;
import nl.schakel.trust.sign.SigningKey;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code schakel covenant validate|hash|sign|verify|explain|keygen}: the convenant file's
 * commands for authors, signatories and professionals. Exit 0 when all is well, 1 when the file is
 * invalid, a signature is missing or wrong, or the command failed.
 */
@Command(
    name = "covenant",
    mixinStandardHelpOptions = true,
    description = {
        "Check, hash, sign, verify and explain convenant files (format schakel/covenant/v1).",
        "Signatures live beside the file: x.yaml has x.sigs, one line per party."},
    subcommands = {
        CovenantCommand.Validate.class,
        CovenantCommand.Hash.class,
        CovenantCommand.Sign.class,
        CovenantCommand.Verify.class,
        CovenantCommand.Explain.class,
        CovenantCommand.Keygen.class})
final class CovenantCommand implements Runnable {
  /** A party id as the format allows it; also keeps keygen's file names inside --out. */
  private static final Pattern PARTY_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: validate, hash, sign, verify, explain or keygen");
  }

  /**
   * The convenant in {@code file}, or every validation error printed as {@code
   * file:line:column message} with the path as the user typed it.
   */
  static Optional<Covenant> parse(Path file, PrintWriter err) {
    try {
      return Optional.of(CovenantParser.parse(file));
    } catch (CovenantValidationException e) {
      for (ValidationError error : e.errors()) {
        err.println(new ValidationError(file.toString(), error.line(), error.column(), error.message()));
      }
      return Optional.empty();
    }
  }

  /** The signatures beside {@code file}, or their format errors printed the same way. */
  static Optional<CovenantSignatures> readSignatures(Path file, Covenant covenant, PrintWriter err) {
    Path sigs = CovenantSignatures.sigsFileFor(file);
    try {
      return Optional.of(CovenantSignatures.read(sigs, covenant));
    } catch (CovenantSignaturesException e) {
      for (ValidationError error : e.errors()) {
        err.println(new ValidationError(sigs.toString(), error.line(), error.column(), error.message()));
      }
      return Optional.empty();
    } catch (IOException e) {
      err.println("cannot read " + sigs + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  // ------------------------------------------------------------------------------- validate

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Check a convenant file; print every problem as file:line:column message.")
  static final class Validate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the convenant YAML file")
    Path file;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Optional<Covenant> covenant = parse(file, spec.commandLine().getErr());
      if (covenant.isEmpty()) {
        return Exits.ERROR;
      }
      Covenant c = covenant.get();
      out.println(file + ": valid (" + c.label() + ", " + plural(c.parties().size(), "party", "parties")
          + ", " + plural(c.rules().size(), "rule", "rules") + ")");
      return Exits.OK;
    }
  }

  // ----------------------------------------------------------------------------------- hash

  @Command(name = "hash", mixinStandardHelpOptions = true,
      description = {"Print the canonical hash every party signs (lower-case hex, nothing else).",
          "Comments, quoting and key order do not change it; any change of meaning does."})
  static final class Hash implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the convenant YAML file")
    Path file;

    @Override
    public Integer call() {
      Optional<Covenant> covenant = parse(file, spec.commandLine().getErr());
      if (covenant.isEmpty()) {
        return Exits.ERROR;
      }
      spec.commandLine().getOut().println(covenant.get().canonicalHashHex());
      return Exits.OK;
    }
  }

  // ----------------------------------------------------------------------------------- sign

  @Command(name = "sign", mixinStandardHelpOptions = true,
      description = {"Sign the convenant's canonical hash for a party and write or replace its line",
          "in the .sigs file beside FILE. Refuses an invalid file or a party not named in it."})
  static final class Sign implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the convenant YAML file")
    Path file;

    @Option(names = "--party", required = true, paramLabel = "PARTY", description = "the signing party's id")
    String party;

    @Option(names = "--key", required = true, paramLabel = "KEYFILE",
        description = "the party's Ed25519 private key (PKCS#8 PEM, e.g. from `schakel covenant keygen`)")
    Path keyFile;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Optional<Covenant> parsed = parse(file, err);
      if (parsed.isEmpty()) {
        err.println("not signed: " + file + " is not a valid convenant");
        return Exits.ERROR;
      }
      Covenant covenant = parsed.get();
      if (!covenant.parties().containsKey(party)) {
        err.println("not signed: '" + party + "' is not a party of " + covenant.label()
            + "; its parties are " + String.join(", ", covenant.parties().keySet()));
        return Exits.ERROR;
      }
      SigningKey key;
      try {
        key = SigningKey.readPem(keyFile);
      } catch (IOException e) {
        err.println("not signed: " + e.getMessage());
        return Exits.ERROR;
      }
      Optional<CovenantSignatures> existing = readSignatures(file, covenant, err);
      if (existing.isEmpty()) {
        err.println("not signed: fix or remove " + CovenantSignatures.sigsFileFor(file) + " first");
        return Exits.ERROR;
      }
      Optional<PartySignature> before = existing.get().of(party);
      PartySignature signature = PartySignature.sign(covenant, party, key);
      Path sigs = CovenantSignatures.sigsFileFor(file);
      try {
        existing.get().with(signature).writeTo(sigs);
      } catch (IOException e) {
        err.println("not signed: cannot write " + sigs + ": " + e.getMessage());
        return Exits.ERROR;
      }
      out.println(party + " signed " + covenant.label() + " (hash " + covenant.canonicalHashHex()
          + ") with key " + key.keyId());
      before.ifPresent(b -> out.println("replaced " + party + "'s earlier signature (key " + b.keyId() + ")"));
      out.println("wrote " + sigs);
      return Exits.OK;
    }
  }

  // --------------------------------------------------------------------------------- verify

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Check every party's signature and say whether the convenant is in force.",
          "Exit 0 only when it is: within its dates and signed by every party named in it."})
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the convenant YAML file")
    Path file;

    @Option(names = "--keys", required = true, paramLabel = "DIR",
        description = {"directory of public keys: <party>.pub.pem, and <party>.2.pub.pem during a key rotation",
            "(the federation PKI will take the place of this directory)"})
    Path keysDir;

    @Option(names = "--at", paramLabel = "DATE",
        description = "check for this day (YYYY-MM-DD, Europe/Amsterdam) instead of today")
    LocalDate at;

    /** What "today" is; --at stands in for it in tests and for questions about other days. */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Optional<Covenant> parsed = parse(file, err);
      if (parsed.isEmpty()) {
        return Exits.ERROR;
      }
      Covenant covenant = parsed.get();
      Optional<CovenantSignatures> signatures = readSignatures(file, covenant, err);
      if (signatures.isEmpty()) {
        return Exits.ERROR;
      }
      PartyKeys keys;
      try {
        keys = PartyKeys.readDirectory(keysDir);
      } catch (IOException e) {
        err.println(e.getMessage());
        return Exits.ERROR;
      }
      SignatureCheck check;
      Optional<String> tampered = Optional.empty();
      Optional<SignedCovenant> signed = Optional.empty();
      try {
        signed = Optional.of(SignedCovenant.verify(covenant, signatures.get(), keys));
        check = signed.get().signatures();
      } catch (TamperedCovenantException e) {
        check = e.check();
        tampered = Optional.of(e.getMessage());
      }

      out.println(file + ": " + covenant.label() + ", hash " + covenant.canonicalHashHex());
      int width = covenant.parties().keySet().stream().mapToInt(String::length).max().orElse(0);
      for (SignatureCheck.PartyStatus status : check.parties()) {
        String name = String.format("  %-" + width + "s  ", status.party());
        out.println(name + describe(status));
      }
      out.println(check.summary());
      out.println("valid from " + covenant.validFrom() + " until " + covenant.validUntil()
          + " (inclusive, Europe/Amsterdam)");
      LocalDate day = at != null ? at : LocalDate.now(clock.withZone(Covenant.ZONE));
      Instant instant = day.atTime(LocalTime.NOON).atZone(Covenant.ZONE).toInstant();
      String when = at != null ? "in force on " + day : "in force today (" + day + ")";
      if (tampered.isPresent()) {
        out.println(when + ": no (changed after signing: the signatures of "
            + String.join(", ", check.mismatched()) + " no longer match)");
        err.println(tampered.get());
        return Exits.ERROR;
      }
      Optional<String> why = signed.orElseThrow().whyNotInForceAt(instant);
      out.println(when + ": " + why.map(w -> "no (" + w + ")").orElse("yes"));
      return why.isEmpty() ? Exits.OK : Exits.ERROR;
    }

    // Java 17 has no pattern switch; the sealed interface still keeps this list closed.
    private static String describe(SignatureCheck.PartyStatus status) {
      if (status instanceof SignatureCheck.Signed s) {
        return "SIGNED   key " + s.keyId();
      }
      if (status instanceof SignatureCheck.Invalid i) {
        return "INVALID  " + i.detail();
      }
      return "MISSING";
    }
  }

  // -------------------------------------------------------------------------------- explain

  @Command(name = "explain", mixinStandardHelpOptions = true,
      description = {"The convenant in plain words: per purpose its legal basis and case reference,",
          "who may ask whom about what, how precise the answer is; refusals, secrecy and limits.",
          "With --party (and --role): only what that asker may do, and whom they may not ask and why,",
          "in the same words the gateway uses."})
  static final class Explain implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the convenant YAML file")
    Path file;

    @Option(names = "--party", paramLabel = "PARTY", description = "explain for an asker of this party")
    String party;

    @Option(names = "--role", paramLabel = "ROLE", description = "the asker's role (needs --party)")
    String role;

    @Option(names = "--purpose", paramLabel = "PURPOSE", description = "only this purpose")
    String purpose;

    @Option(names = "--as", paramLabel = "PARTY[.ROLE]", description = "shorthand for --party and --role, as in the convenant's askers")
    String as;

    @Option(names = "--subject-type", paramLabel = "TYPE", description = "only this subject type: person, address, organisation or area")
    String subjectType;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (as != null) {
        if (party != null || role != null) {
          err.println("give either --as or --party/--role, not both");
          return Exits.ERROR;
        }
        int dot = as.indexOf('.');
        party = dot < 0 ? as : as.substring(0, dot);
        role = dot < 0 ? null : as.substring(dot + 1);
      }
      Optional<SubjectType> onlyType = Optional.empty();
      if (subjectType != null) {
        onlyType = SubjectType.lookup(subjectType);
        if (onlyType.isEmpty()) {
          err.println("--subject-type must be person, address, organisation or area");
          return Exits.ERROR;
        }
      }
      Optional<Covenant> parsed = parse(file, err);
      if (parsed.isEmpty()) {
        return Exits.ERROR;
      }
      Covenant c = parsed.get();
      if (role != null && party == null) {
        err.println("--role needs --party: a role belongs to a party");
        return Exits.ERROR;
      }
      if (party != null && !c.parties().containsKey(party)) {
        err.println("'" + party + "' is not a party of " + c.label() + "; its parties are "
            + String.join(", ", c.parties().keySet()));
        return Exits.ERROR;
      }
      if (role != null && !c.parties().get(party).hasRole(role)) {
        List<String> roles = c.parties().get(party).roles();
        err.println("'" + role + "' is not a role of " + party + " in " + c.label() + "; "
            + (roles.isEmpty() ? party + " has no roles" : "its roles are " + String.join(", ", roles)));
        return Exits.ERROR;
      }
      if (purpose != null && !c.purposes().containsKey(purpose)) {
        err.println("'" + purpose + "' is not a purpose of " + c.label() + "; its purposes are "
            + String.join(", ", c.purposes().keySet()));
        return Exits.ERROR;
      }
      Explainer explainer = new Explainer(c, out, onlyType);
      if (party == null) {
        explainer.whole(Optional.ofNullable(purpose));
      } else {
        explainer.forAsker(party, Optional.ofNullable(role), Optional.ofNullable(purpose));
      }
      return Exits.OK;
    }
  }

  /**
   * Writes the explanation. What an asker may do comes from the {@link Evaluator} itself, so the
   * reasons read exactly as the gateway gives them.
   */
  static final class Explainer {
    private final Covenant covenant;
    private final PrintWriter out;
    private final Evaluator evaluator;
    /** A day on which the convenant's dates hold; dates are explained separately. */
    private final Instant inForce;

    /** With a subject type: explain only questions about that kind of subject. */
    private final Optional<SubjectType> onlyType;

    Explainer(Covenant covenant, PrintWriter out) {
      this(covenant, out, Optional.empty());
    }

    Explainer(Covenant covenant, PrintWriter out, Optional<SubjectType> onlyType) {
      this.covenant = covenant;
      this.out = out;
      this.onlyType = onlyType;
      // Case references are explained per purpose; evaluating without the patterns lets the
      // decisions show what the rules allow once a valid reference is given.
      this.evaluator = new Evaluator(withoutCaseReferencePatterns(covenant));
      this.inForce = covenant.validFrom().atTime(LocalTime.NOON).atZone(Covenant.ZONE).toInstant();
    }

    private static Covenant withoutCaseReferencePatterns(Covenant c) {
      Map<String, Purpose> purposes = new LinkedHashMap<>();
      c.purposes().forEach((id, p) -> purposes.put(id, new Purpose(p.id(), p.title(), p.legalBasis(), Optional.empty())));
      return new Covenant(c.id(), c.version(), c.title(), c.validFrom(), c.validUntil(), c.retention(),
          c.parties(), purposes, c.rules(), c.limits(), c.refusals(), c.source());
    }

    void whole(Optional<String> onlyPurpose) {
      header();
      out.println();
      out.println("Parties");
      for (Party p : covenant.parties().values()) {
        out.println("  " + p.id() + ": " + p.name());
        if (!p.roles().isEmpty()) {
          out.println("    roles: " + String.join(", ", p.roles()));
        }
        if (p.secrecy().isPresent()) {
          out.println("    never answers: " + p.secrecy().get());
        } else if (p.categories().isEmpty()) {
          out.println("    only asks (runs no node)");
        } else {
          out.println("    answers about: " + p.categories().values().stream()
              .map(d -> d.name() + " (" + d.subjects().stream().map(SubjectType::yamlName).collect(Collectors.joining(", "))
                  + d.special().map(s -> "; special: " + s).orElse("") + ")")
              .collect(Collectors.joining(", ")));
        }
        p.contact().ifPresent(contact -> out.println("    contact after a hit: " + contact));
      }
      for (Purpose p : covenant.purposes().values()) {
        if (onlyPurpose.isPresent() && !onlyPurpose.get().equals(p.id())) {
          continue;
        }
        out.println();
        purposeHeader(p);
        for (Rule r : covenant.rules()) {
          if (r.purpose().equals(p.id())) {
            rule(r);
          }
        }
      }
      out.println();
      refusalsAndSecrecy();
      out.println();
      limits(covenant.limits());
    }

    void forAsker(String party, Optional<String> role, Optional<String> onlyPurpose) {
      header();
      Party asker = covenant.parties().get(party);
      List<Optional<String>> roles = role.isPresent() || asker.roles().isEmpty()
          ? List.of(role)
          : asker.roles().stream().map(Optional::of).toList();
      for (Optional<String> r : roles) {
        String who = party + r.map(x -> "." + x).orElse("");
        Set<String> held = r.map(Set::of).orElse(Set.of());
        out.println();
        out.println("What " + who + " may ask");
        List<String> usable = new ArrayList<>();
        for (Purpose p : covenant.purposes().values()) {
          if (onlyPurpose.isPresent() && !onlyPurpose.get().equals(p.id())) {
            continue;
          }
          out.println();
          if (!evaluator.mayAskAnyone(party, held, p.id())) {
            out.println("Purpose " + p.id() + " (" + p.title() + "): may not ask anyone;"
                + " no rule lets " + who + " ask for this purpose");
            continue;
          }
          usable.add(p.id());
          purposeHeader(p);
          for (SubjectType type : SubjectType.values()) {
            if (onlyType.isEmpty() || onlyType.get() == type) {
              subjectForAsker(party, held, p, type);
            }
          }
        }
        List<Limit> applying = covenant.limits().stream()
            .filter(l -> l.purpose().isEmpty() || usable.contains(l.purpose().get()))
            .toList();
        if (!applying.isEmpty()) {
          out.println();
          limits(applying);
        }
      }
    }

    private void header() {
      out.println(covenant.title() + " (" + covenant.label() + ")");
      out.println("Valid from " + covenant.validFrom() + " until " + covenant.validUntil()
          + " (inclusive, Europe/Amsterdam)"
          + covenant.retention().map(r -> "; question logs are kept " + period(r)).orElse("") + ".");
      out.println("Canonical hash (what every party signs): " + covenant.canonicalHashHex());
      out.println("An answer is only ever a hit, a no-hit or a count: never names, dates or records.");
    }

    private void purposeHeader(Purpose p) {
      out.println("Purpose " + p.id() + ": " + p.title());
      out.println("  legal basis: " + String.join("; ", p.legalBasis()));
      out.println("  case reference: " + p.caseReference()
          .map(pattern -> "required, must match " + pattern.pattern())
          .orElse("not required"));
    }

    private void rule(Rule r) {
      out.println("  Rule " + r.id() + ": " + r.askers().stream().map(Object::toString).collect(Collectors.joining(", "))
          + " may ask " + String.join(", ", r.responders()) + " about " + article(r.subject())
          + r.areaLevel().map(l -> " at " + l.yamlName() + " level").orElse(""));
      if (r.categories() instanceof CategorySelection.Listed listed) {
        out.println("    categories: only " + String.join(", ", listed.names()));
      } else {
        out.println("    categories: all they hold about " + article(r.subject()) + " ("
            + r.responders().stream()
                .map(id -> id + ": " + String.join(", ", covenant.parties().get(id).categoriesFor(r.subject())))
                .collect(Collectors.joining("; ")) + ")");
      }
      out.println("    answer: " + answer(r.answer(), r.disclosure()));
      out.println("    records: " + r.lookback().map(p -> "only from the last " + period(p)).orElse("of any date"));
      out.println("    four-eyes: " + (r.fourEyes()
          ? "yes, a second person allowed to ask under this rule must approve each question first"
          : "no"));
      List<Refusal> refusals = covenant.refusals();
      for (int i = 0; i < refusals.size(); i++) {
        for (String responder : r.responders()) {
          if (refusals.get(i).refuses(responder, r.subject())) {
            out.println("    but " + responder + " is refused by refusals[" + i + "]: " + refusals.get(i).reason());
          }
        }
      }
    }

    private void subjectForAsker(String party, Set<String> roles, Purpose p, SubjectType type) {
      List<Decision> decisions = new ArrayList<>();
      for (String responder : evaluator.defaultResponders(type)) {
        decisions.add(decide(party, roles, p, type, responder));
      }
      boolean anyAllowed = decisions.stream().anyMatch(Decision.Allow.class::isInstance);
      if (!anyAllowed) {
        out.println("  About " + article(type) + ": may ask nobody");
        return;
      }
      out.println("  About " + article(type) + ":");
      // Whom one may ask first, then whom not and why; each in the convenant's party order.
      List<Decision> ordered = new ArrayList<>(decisions);
      ordered.sort(Comparator.comparing(d -> d instanceof Decision.Allow ? 0 : 1));
      for (Decision d : ordered) {
        if (d instanceof Decision.Allow a) {
          Rule rule = covenant.rules().stream().filter(x -> x.id().equals(a.ruleId())).findFirst().orElseThrow();
          out.println("    may ask " + a.party() + " (rule " + a.ruleId() + ")"
              + rule.areaLevel().map(l -> " at " + l.yamlName() + " level").orElse("") + ": "
              + answer(a.answer(), a.disclosure()) + "; categories " + String.join(", ", a.categories())
              + a.lookback().map(l -> "; only records from the last " + period(l)).orElse(""));
          if (a.fourEyes()) {
            out.println("      four-eyes: a second person allowed to ask under rule " + a.ruleId()
                + " must approve first");
          }
          if (a.answer() == AnswerKind.HIT_PER_PARTY) {
            covenant.parties().get(a.party()).contact()
                .ifPresent(contact -> out.println("      after a hit, contact: " + contact));
          }
        } else if (d instanceof Decision.Deny n) {
          out.println("    may NOT ask " + n.party() + " (" + n.reason().code() + "): " + n.text());
        }
      }
    }

    /**
     * The decision for a question without case reference problems or category filter; for an
     * area the level its rule allows, if any level is allowed.
     */
    private Decision decide(String party, Set<String> roles, Purpose p, SubjectType type, String responder) {
      if (type != SubjectType.AREA) {
        return evaluator.decide(question(party, roles, p, type, Optional.empty()), responder, inForce);
      }
      Decision first = null;
      for (AreaLevel level : AreaLevel.values()) {
        Decision d = evaluator.decide(question(party, roles, p, type, Optional.of(level)), responder, inForce);
        if (d instanceof Decision.Allow) {
          return d;
        }
        first = first == null ? d : first;
      }
      return first;
    }

    private static Question question(String party, Set<String> roles, Purpose p, SubjectType type, Optional<AreaLevel> level) {
      return new Question(party, roles, p.id(), Optional.empty(), type, level, Set.of());
    }

    private void refusalsAndSecrecy() {
      out.println("Refusals (stronger than any rule)");
      if (covenant.refusals().isEmpty()) {
        out.println("  none");
      }
      for (Refusal r : covenant.refusals()) {
        out.println("  " + String.join(", ", r.responders()) + " never answer"
            + (r.responders().size() == 1 ? "s" : "") + " about "
            + r.subjects().stream().map(CovenantCommand::article).collect(Collectors.joining(" or "))
            + ": " + r.reason());
      }
      List<Party> secret = covenant.parties().values().stream().filter(Party::boundBySecrecy).toList();
      if (!secret.isEmpty()) {
        out.println("Professional secrecy (never answers)");
        for (Party p : secret) {
          out.println("  " + p.id() + ": " + p.secrecy().orElseThrow());
        }
      }
    }

    private void limits(List<Limit> limits) {
      out.println("Limits (every matching limit is charged; explaining is free)");
      if (limits.isEmpty()) {
        out.println("  none");
      }
      for (Limit l : limits) {
        out.println("  at most " + l.max() + " questions per " + l.per().yamlName() + " per " + window(l.window())
            + ", " + l.purpose().map(p -> "purpose " + p).orElse("any purpose"));
      }
    }

    private static String answer(AnswerKind kind, Optional<Disclosure> disclosure) {
      return switch (kind) {
        case HIT_PER_PARTY -> "hit or no-hit, per party";
        case HIT_ANY -> "only whether at least one party asked under the rule has a hit, not which one"
            + " (inconclusive when one is unavailable and none hit)";
        case COUNT -> "a count of records, " + disclosure.map(Explainer::disclosure)
            .orElse("exact (no disclosure control)");
      };
    }

    private static String disclosure(Disclosure d) {
      if (d instanceof Disclosure.Bands b) {
        return "shown in bands "
            + b.lowerBounds().stream().map(lower -> b.bandFor(lower).display()).collect(Collectors.joining(", "));
      }
      Disclosure.MinRound m = (Disclosure.MinRound) d;
      return "below " + m.min() + " shown as \"" + m.suppressedDisplay() + "\""
          + (m.suppressZero() ? " (zero too)" : "")
          + ", otherwise rounded to the nearest " + m.round() + " after cell-key noise";
    }
  }

  // --------------------------------------------------------------------------------- keygen

  @Command(name = "keygen", mixinStandardHelpOptions = true,
      description = {"Write a new Ed25519 signing key for a party: DIR/PARTY.key.pem (owner-only) and",
          "DIR/PARTY.pub.pem; print its key id. For demos and development: production signing keys",
          "come from the federation PKI. Never overwrites a key."})
  static final class Keygen implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--party", required = true, paramLabel = "PARTY", description = "the party id")
    String party;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where to write the two files")
    Path dir;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      if (!PARTY_ID.matcher(party).matches()) {
        err.println("a party id is 1 to 64 of a-z, 0-9 and '-', starting with a letter or digit; found '"
            + party + "'");
        return Exits.ERROR;
      }
      Path privateFile = dir.resolve(party + ".key.pem");
      Path publicFile = dir.resolve(PartyKeys.keyFileName(party));
      try {
        Files.createDirectories(dir);
        for (Path f : List.of(privateFile, publicFile)) {
          if (Files.exists(f)) {
            err.println(f + " exists; keygen never replaces a key (signatures made with it would be orphaned)");
            return Exits.ERROR;
          }
        }
        SigningKey key = SigningKey.generate(new SecureRandom());
        key.writeTo(privateFile);
        Files.writeString(publicFile, key.verifyingKey().toPem(), StandardCharsets.US_ASCII,
            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        spec.commandLine().getOut().println(key.keyId());
        err.println("wrote " + privateFile + " (private: keep it, owner-only) and " + publicFile
            + " (public: give it to the other parties)");
        return Exits.OK;
      } catch (FileAlreadyExistsException e) {
        err.println(e.getFile() + " exists; keygen never replaces a key");
        return Exits.ERROR;
      } catch (IOException e) {
        err.println("cannot write keys to " + dir + ": " + e.getMessage());
        return Exits.ERROR;
      }
    }
  }

  // ---------------------------------------------------------------------------------- words

  static String article(SubjectType t) {
    return switch (t) {
      case PERSON -> "a person";
      case ADDRESS -> "an address";
      case ORGANISATION -> "an organisation";
      case AREA -> "an area";
    };
  }

  /** {@code P5Y} as "5 years", {@code P1Y6M} as "1 year 6 months". */
  static String period(Period p) {
    List<String> parts = new ArrayList<>();
    if (p.getYears() != 0) {
      parts.add(plural(p.getYears(), "year", "years"));
    }
    if (p.getMonths() != 0) {
      parts.add(plural(p.getMonths(), "month", "months"));
    }
    if (p.getDays() != 0) {
      parts.add(plural(p.getDays(), "day", "days"));
    }
    return parts.isEmpty() ? "0 days" : String.join(" ", parts);
  }

  /** A limit's window: "day", "7 days", "hour", "90 minutes". */
  static String window(Duration d) {
    if (d.toSecondsPart() == 0 && d.toMinutesPart() == 0 && d.toHoursPart() == 0) {
      return d.toDays() == 1 ? "day" : d.toDays() + " days";
    }
    if (d.toSecondsPart() == 0 && d.toMinutesPart() == 0) {
      return d.toHours() == 1 ? "hour" : d.toHours() + " hours";
    }
    if (d.toSecondsPart() == 0) {
      return d.toMinutes() == 1 ? "minute" : d.toMinutes() + " minutes";
    }
    return d.getSeconds() + " seconds";
  }

  static String plural(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
