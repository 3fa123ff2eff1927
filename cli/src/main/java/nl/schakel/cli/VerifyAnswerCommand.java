package nl.schakel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import nl.schakel.proto.v1.Answer;
import nl.schakel.proto.v1.PayloadTypes;
import nl.schakel.trust.pki.FederationTrust;
import nl.schakel.trust.pki.UntrustedCertificateException;
import nl.schakel.trust.sign.DsseSignature;
import nl.schakel.trust.sign.DsseVerifier;
import nl.schakel.trust.sign.InvalidSignatureException;
import nl.schakel.trust.sign.KeyId;
import nl.schakel.trust.sign.VerifyingKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code schakel verify-answer}: checks one node's signed answer offline, long after the query,
 * trusting nothing but the federation CA certificate: not the gateway, not this installation.
 * Exit 0 when valid, 1 when any check fails or an input is unusable; the message names the check.
 */
@Command(
    name = "verify-answer",
    mixinStandardHelpOptions = true,
    description = {
      "Verify a node's signed answer offline: the signing certificate was issued by the federation",
      "CA for the answering party, the DSSE signature is that key's, and the answer is the party's.",
      "--answer is one element of a response's answers[] ({party, envelope, ...}) or just the",
      "envelope JSON {payloadType, payload, signatures} with --party."})
final class VerifyAnswerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--answer", required = true, paramLabel = "FILE",
      description = "an answers[] element or a DSSE envelope, as JSON")
  Path answer;

  @Option(names = "--ca", required = true, paramLabel = "FILE",
      description = "the federation CA certificate (ca.cert.pem)")
  Path ca;

  @Option(names = "--cert", required = true, paramLabel = "FILE",
      description = "the answering party's signing certificate (signing.cert.pem)")
  Path cert;

  @Option(names = "--party", paramLabel = "PARTY",
      description = "the party that answered; required for a bare envelope, checked otherwise")
  String party;

  @Option(names = "--at", paramLabel = "INSTANT",
      description = "check the certificate's validity at this time (ISO-8601, e.g. the answer's"
          + " answered-at) instead of now")
  Instant at;

  @Option(names = "--revoked-keys", paramLabel = "FILE",
      description = "the federation's denylist of key ids, one per line")
  Path revokedKeys;

  /** What a check found wrong, for the one line the user sees. */
  private static final class Invalid extends Exception {
    Invalid(String message) {
      super(message);
    }
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Answer verified = verify(out);
      print(out, verified);
      return Exits.OK;
    } catch (Invalid e) {
      err.println("INVALID: " + e.getMessage());
      return Exits.ERROR;
    }
  }

  private Answer verify(PrintWriter out) throws Invalid {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(answer.toFile());
    } catch (IOException e) {
      throw new Invalid("--answer " + answer + " is not readable JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new Invalid("--answer " + answer + " must hold a JSON object");
    }
    JsonNode envelope = root.has("envelope") ? root.get("envelope") : root;
    String who = party(root);

    FederationTrust trust;
    X509Certificate certificate;
    try {
      trust = FederationTrust.load(ca);
      if (revokedKeys != null) {
        trust = trust.withRevoked(FederationTrust.readRevocations(revokedKeys));
      }
      certificate = FederationTrust.readCertificate(cert);
    } catch (IOException | RuntimeException e) {
      throw new Invalid("cannot read the CA, the certificate or the denylist: " + e.getMessage());
    }
    Instant when = at == null ? Instant.now() : at;
    VerifyingKey key;
    try {
      key = trust.certifiedSigningKey(certificate, who, when);
    } catch (UntrustedCertificateException e) {
      throw new Invalid("certificate check failed: " + cert + ": " + e.getMessage());
    }
    out.println("certificate: " + cert + " certifies key " + key.keyId() + " of party " + who + " at " + when);

    String payloadType = text(envelope, "payloadType");
    if (!PayloadTypes.ANSWER.equals(payloadType)) {
      throw new Invalid("envelope check failed: payloadType must be " + PayloadTypes.ANSWER + ", found '"
          + payloadType + "'");
    }
    byte[] payload;
    List<DsseSignature> signatures = new ArrayList<>();
    try {
      payload = Base64.getDecoder().decode(text(envelope, "payload"));
      JsonNode sigs = envelope.path("signatures");
      for (JsonNode s : sigs) {
        signatures.add(new DsseSignature(KeyId.parse(text(s, "keyid")), Base64.getDecoder().decode(text(s, "sig"))));
      }
    } catch (IllegalArgumentException e) {
      throw new Invalid("envelope check failed: malformed payload or signatures: " + e.getMessage());
    }
    try {
      DsseVerifier.verify(PayloadTypes.ANSWER, payload, signatures,
          id -> id.equals(key.keyId()) ? Optional.of(key) : Optional.empty());
    } catch (InvalidSignatureException | IllegalArgumentException e) {
      throw new Invalid("signature check failed: " + e.getMessage());
    }
    out.println("signature:   valid DSSE signature by key " + key.keyId());

    Answer decoded;
    try {
      decoded = Answer.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new Invalid("answer check failed: the signed payload is not an Answer");
    }
    if (!decoded.getParty().equals(who)) {
      throw new Invalid("answer check failed: the answer is signed for party " + decoded.getParty()
          + ", expected " + who);
    }
    return decoded;
  }

  /** The answering party: the element's {@code party}, --party, and both must agree when both are given. */
  private String party(JsonNode root) throws Invalid {
    Optional<String> inFile = root.hasNonNull("party") ? Optional.of(root.get("party").asText()) : Optional.empty();
    if (inFile.isPresent() && party != null && !party.equals(inFile.get())) {
      throw new Invalid("--party " + party + " does not match the answer's party " + inFile.get());
    }
    return inFile.or(() -> Optional.ofNullable(party))
        .orElseThrow(() -> new Invalid("--answer holds a bare envelope: name the answering party with --party"));
  }

  private static String text(JsonNode node, String field) throws Invalid {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new Invalid("envelope check failed: missing text field '" + field + "'");
    }
    return value.asText();
  }

  private static void print(PrintWriter out, Answer a) {
    out.println("VALID answer");
    out.println("  question:    " + a.getQuestionId());
    out.println("  party:       " + a.getParty());
    out.println("  rule:        " + a.getRuleId());
    out.println("  outcome:     " + outcome(a));
    if (a.hasCount()) {
      out.println("  count:       " + a.getCount().getDisplay());
    }
    if (!a.getRefusalReason().isEmpty()) {
      out.println("  refusal:     " + a.getRefusalReason());
    }
    out.println("  convenant:   " + (a.getCovenantHash().isEmpty() ? "(none: refused before a copy was found)"
        : HexFormat.of().formatHex(a.getCovenantHash().toByteArray())));
    out.println("  answered at: " + Instant.ofEpochMilli(a.getAnsweredAtEpochMs()));
  }

  private static String outcome(Answer a) {
    return switch (a.getOutcome()) {
      case HIT -> "hit";
      case NO_HIT -> "no-hit";
      case COUNT_RESULT -> "count";
      case REFUSED -> "refused";
      default -> "unspecified";
    };
  }
}
