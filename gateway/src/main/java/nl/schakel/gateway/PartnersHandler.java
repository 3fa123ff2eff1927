package nl.schakel.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import nl.schakel.covenant.Party;
import nl.schakel.trust.sign.VerifyingKey;

/**
 * {@code GET /v1/partners}: every party of the loaded convenanten, whether the gateway has a node
 * for it, and the certified keys its answers are signed with, plus the federation CA certificate.
 * With these anyone can verify an answer's DSSE envelope later, without Schakel's code and
 * without trusting the gateway: the certificate chains to the CA, the key is in the certificate.
 */
final class PartnersHandler {
  private final JsonObject body;

  PartnersHandler(CovenantSet covenants, Set<String> configuredNodes, GatewayPki pki) {
    Map<String, Party> parties = new TreeMap<>();
    covenants.all().forEach(l -> l.covenant().parties().forEach(parties::putIfAbsent));
    JsonArray partners = new JsonArray();
    parties.forEach((id, party) -> {
      JsonArray keys = new JsonArray();
      pki.nodeKey(id).ifPresent(k -> keys.add(key(k.key(), k.certificate())));
      partners.add(new JsonObject()
          .put("party", id)
          .put("name", party.name())
          .put("node", configuredNodes.contains(id) ? "configured" : "not-configured")
          .put("signingKeys", keys));
    });
    // The gateway's own key too: it signs the questions, which nodes (and auditors) verify.
    JsonObject gateway = new JsonObject().put("party", GatewayPki.GATEWAY).put("signingKeys",
        new JsonArray().add(key(pki.own().signingKey().verifyingKey(), pki.own().signingCertificate())));
    this.body = new JsonObject()
        .put("partners", partners)
        .put("gateway", gateway)
        .put("ca", pem(pki.trust().caCertificate()));
  }

  void list(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
  }

  private static JsonObject key(VerifyingKey key, X509Certificate certificate) {
    return new JsonObject()
        .put("keyid", key.keyId().value())
        .put("algorithm", "ed25519")
        .put("publicKey", Base64.getEncoder().encodeToString(key.raw()))
        .put("certificate", pem(certificate));
  }

  static String pem(X509Certificate certificate) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
              .encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("a certificate that was read cannot be encoded again", e);
    }
  }
}
