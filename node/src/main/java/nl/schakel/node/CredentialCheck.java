package nl.schakel.node;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import nl.schakel.covenant.Decision;
import nl.schakel.covenant.Evaluator;
import nl.schakel.proto.v1.Question;
import nl.schakel.proto.v1.ResponderRule;
import nl.schakel.trust.jwt.CredentialException;
import nl.schakel.trust.jwt.CredentialVerifier;
import nl.schakel.trust.jwt.VerifiedCredential;

/**
 * Who asks, by the node's own verification of the credentials the question carries, never the
 * gateway's word (ARCHITECTURE.md "Identity, keys and trust"): a compromised gateway cannot invent
 * an asker, a role or an approval. Tokens are only handed to the {@link CredentialVerifier} (which
 * caches them by hash); they are never logged nor put in a refusal text.
 *
 * <p>An approved four-eyes question carries the approver's credential and no asker credential
 * (docs/decisions.md D14: the asker's 5-minute token has expired by the time a colleague
 * approves). It is accepted only when, by this node's own convenant copy, the question needed
 * four-eyes approval (this node's rule, or another responder's rule in the same question), and a
 * valid approver, another person than the asker, is allowed to ask under that rule. The asker's
 * identity is then the gateway-signed question's: a residual risk in node/README.md.
 */
final class CredentialCheck {
  static final String UNVERIFIABLE = "credential-unverifiable";
  static final String MISMATCH = "credential-mismatch";
  static final String MISSING = "credential-missing";
  static final String APPROVAL_MISSING = "approval-missing";
  static final String APPROVAL_INVALID = "approval-invalid";
  static final String APPROVAL_SELF = "approval-self";
  static final String APPROVAL_NOT_ALLOWED = "approval-not-allowed";

  private final String party;
  private final CredentialVerifier verifier;
  private final Set<String> askingParties;
  private final Clock clock;

  /**
   * @param askingParties the parties an issuer is configured for
   * @param clock the time credentials are checked against: real time, as their issuer means it
   */
  CredentialCheck(String party, CredentialVerifier verifier, Set<String> askingParties, Clock clock) {
    this.party = party;
    this.verifier = verifier;
    this.askingParties = new TreeSet<>(askingParties);
    this.clock = clock;
  }

  /** The asker as the node knows it. */
  sealed interface Asker {
    /** The roles the node's decision uses: the claimed ones, each found in the verified token. */
    Set<String> roles();

    /** The asker's own credential verified, its {@code sub} equal to the asker person. */
    record Verified(VerifiedCredential credential, Set<String> roles) implements Asker {}

    /**
     * No asker credential, but an approver credential: acceptable only once the approval checks
     * out ({@link #checkApproval}). The roles are the gateway-signed question's.
     */
    record Approved(Set<String> roles) implements Asker {}
  }

  /** The asker, or the refusal: unverifiable, missing, any credential code, or mismatch. */
  Asker asker(Question q) throws Refused {
    if (!askingParties.contains(q.getAskerParty())) {
      throw new Refused(UNVERIFIABLE, party + " has no credential issuer configured for the asking party"
          + (askingParties.isEmpty() ? "; it has none at all (node.yaml analysts:)"
              : "; it has issuers for " + String.join(", ", askingParties)));
    }
    String token = q.getAskerCredential().getToken();
    if (token.isEmpty()) {
      if (q.getApproverCredential().getToken().isEmpty()) {
        throw new Refused(MISSING, "the question carries no credential of the asker");
      }
      return new Asker.Approved(new LinkedHashSet<>(q.getAskerRolesList()));
    }
    VerifiedCredential credential;
    try {
      credential = verifier.verify(token, q.getAskerParty(), clock.instant());
    } catch (CredentialException e) {
      throw new Refused(e.code(), "the asker's " + text(e));
    }
    if (!credential.person().equals(q.getAskerPerson())) {
      throw new Refused(MISMATCH, "the question names another asker than the person its credential was issued to");
    }
    Set<String> roles = new LinkedHashSet<>(q.getAskerRolesList());
    List<String> notHeld = roles.stream().filter(r -> !credential.roles().contains(r)).toList();
    if (!notHeld.isEmpty()) {
      throw new Refused(MISMATCH, "the question claims " + notHeld.size() + " role(s) the asker's credential does not"
          + " hold; the credential holds " + credential.roles().size() + " role(s)");
    }
    // Claimed ∩ held: after the check above that is the claimed set, now vouched for by the token.
    roles.retainAll(credential.roles());
    return new Asker.Verified(credential, roles);
  }

  /**
   * For a four-eyes Allow, or a question without asker credential: a valid approver credential
   * of another person, allowed to ask under the rule that needed the approval.
   *
   * @param own this node's Allow, made with {@code asker.roles()}
   * @return the approver's verified credential; empty when no approval was needed
   */
  Optional<VerifiedCredential> checkApproval(Question q, Asker asker, Evaluator evaluator, AskedSubject subject, Instant issuedAt,
      Decision.Allow own) throws Refused {
    if (!own.fourEyes() && asker instanceof Asker.Verified) {
      return Optional.empty();
    }
    // The rule whose four eyes the approver stands for, and which party answers under it.
    ResponderRule approved;
    if (own.fourEyes()) {
      approved = q.getRespondersList().stream().filter(r -> r.getParty().equals(party)).findFirst().orElseThrow();
    } else {
      approved = fourEyesRuleOfAnother(q, asker, evaluator, subject, issuedAt).orElseThrow(() -> new Refused(MISSING,
          "the question carries no credential of the asker, and by " + party + "'s copy of convenant "
              + evaluator.covenant().label() + " no rule of this question needs four-eyes approval"));
    }
    String approverToken = q.getApproverCredential().getToken();
    if (approverToken.isEmpty()) {
      throw new Refused(APPROVAL_MISSING, "rule " + approved.getRuleId() + " needs the approval of a second person,"
          + " and the question carries no approver credential");
    }
    VerifiedCredential approver = verifyApprover(q, approverToken);
    if (approver.party().equals(q.getAskerParty()) && approver.person().equals(q.getAskerPerson())) {
      throw new Refused(APPROVAL_SELF, "the approver is the asker; four eyes means a second person");
    }
    var asApprover = new nl.schakel.covenant.Question(approver.party(), new LinkedHashSet<>(approver.roles()),
        q.getPurpose(), q.getCaseReference().isEmpty() ? Optional.empty() : Optional.of(q.getCaseReference()),
        subject.type(), subject.areaLevel(), new LinkedHashSet<>(approved.getCategoriesList()));
    Decision d = evaluator.decide(asApprover, approved.getParty(), issuedAt);
    if (!(d instanceof Decision.Allow allow) || !allow.ruleId().equals(approved.getRuleId())) {
      throw new Refused(APPROVAL_NOT_ALLOWED, "the approver (party " + approver.party() + ") may not ask this question"
          + " under rule " + approved.getRuleId() + " of convenant " + evaluator.covenant().label()
          + "; only someone who may ask it can approve it");
    }
    return Optional.of(approver);
  }

  /** Another responder's rule in this question that, by this node's copy, needs four eyes. */
  private static Optional<ResponderRule> fourEyesRuleOfAnother(Question q, Asker asker, Evaluator evaluator,
      AskedSubject subject, Instant issuedAt) {
    for (ResponderRule r : q.getRespondersList()) {
      Decision d = evaluator.decide(RuleCheck.question(q, r, subject, asker.roles()), r.getParty(), issuedAt);
      if (d instanceof Decision.Allow allow && allow.fourEyes() && allow.ruleId().equals(r.getRuleId())) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /**
   * The approver's credential, verified with the issuer of its own party. Which party that is the
   * token says ({@code org}), but only a verification proves it: the issuers are tried in turn,
   * the asker's party's first (an approver is usually a colleague), and the verifier checks {@code
   * org} against the party whose issuer verified it.
   */
  private VerifiedCredential verifyApprover(Question q, String token) throws Refused {
    List<String> order = new ArrayList<>();
    if (askingParties.contains(q.getAskerParty())) {
      order.add(q.getAskerParty());
    }
    askingParties.stream().filter(p -> !p.equals(q.getAskerParty())).forEach(order::add);
    CredentialException first = null;
    for (String p : order) {
      try {
        return verifier.verify(token, p, clock.instant());
      } catch (CredentialException e) {
        if (first == null || isPartyMismatch(first) && !isPartyMismatch(e)) {
          first = e;
        }
      }
    }
    throw new Refused(APPROVAL_INVALID, "the approver's credential is not valid for any party " + party
        + " has an issuer for" + (first == null ? "" : " (" + text(first) + ")"));
  }

  /** The verifier's message without its leading code, which the refusal carries already. */
  private static String text(CredentialException e) {
    String m = e.getMessage();
    return m.startsWith(e.code() + ": ") ? m.substring(e.code().length() + 2) : m;
  }

  /** Failures that only say "another party's token": the token may still be fine for its own party. */
  private static boolean isPartyMismatch(CredentialException e) {
    return e.reason() == CredentialException.Reason.WRONG_PARTY || e.reason() == CredentialException.Reason.WRONG_ISSUER;
  }
}
