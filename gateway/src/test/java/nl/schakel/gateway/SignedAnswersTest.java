package nl.schakel.gateway;

import nl.schakel.node.TestPki;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every answer is signed by its node, the gateway believes only answers signed with the party's
 * certified key, and anyone can check an answer from the HTTP response with the keys from
 * {@code GET /v1/partners} alone.
 */
class SignedAnswersTest {
  /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): SEQUENCE, AlgorithmIdentifier 1.3.101.112, BIT STRING. */
  static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  @TempDir
  Path dir;

  static Map<String, String> records() {
    Map<String, String> records = new LinkedHashMap<>();
    records.put("politie", "person,999990019,incident.huiselijk-geweld,2025-03-01,\n");
    return records;
  }

  @Test
  void aNodeAnsweringWithAnotherKeysSignatureIsUnavailable() throws Exception {
    var forger = new FourEyesTest.RecordingNode("veilig-thuis", TestPki.in(dir).credentials("riec").signingKey());
    try (TestFederation fed = new TestFederation(dir, records(), Duration.ofSeconds(5), null,
        Map.of("veilig-thuis", forger))) {
      HttpResponse<String> r = fed.post("/v1/queries", fed.token("zvh", "p.jansen", "procesregisseur"),
          FailingPartiesTest.QUERY);

      Map<String, JsonObject> a = FailingPartiesTest.byParty(r.body());
      assertThat(forger.questions).hasSize(1);
      assertThat(a.get("veilig-thuis").getString("outcome")).isEqualTo("unavailable");
      assertThat(a.get("veilig-thuis").getString("reason")).isEqualTo("invalid answer signature");
      assertThat(a.get("veilig-thuis").containsKey("envelope")).isFalse();
      assertThat(a.get("politie").getString("outcome")).isEqualTo("hit");
    }
  }

  /**
   * The independent check of API.md: the envelope from a real response and the public key from
   * /v1/partners, verified with nothing but the JDK's own Ed25519 and the DSSE definition.
   */
  @Test
  void anAnswerVerifiesWithTheJdkAloneUsingTheKeyFromPartners() throws Exception {
    try (TestFederation fed = new TestFederation(dir, records(), Duration.ofSeconds(5), null)) {
      String token = fed.token("zvh", "p.jansen", "procesregisseur");
      JsonObject politie = FailingPartiesTest.byParty(fed.post("/v1/queries", token, FailingPartiesTest.QUERY).body())
          .get("politie");
      JsonObject partners = new JsonObject(fed.get("/v1/partners", token).body());
      JsonObject key = partyKeys(partners, "politie").getJsonObject(0);
      JsonObject envelope = politie.getJsonObject("envelope");
      JsonObject signature = envelope.getJsonArray("signatures").getJsonObject(0);

      byte[] raw = Base64.getDecoder().decode(key.getString("publicKey"));
      byte[] spki = new byte[ED25519_SPKI_PREFIX.length + raw.length];
      System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
      System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, raw.length);
      PublicKey publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
      String type = envelope.getString("payloadType");
      byte[] payload = Base64.getDecoder().decode(envelope.getString("payload"));
      byte[] head = ("DSSEv1 " + type.getBytes(StandardCharsets.UTF_8).length + " " + type + " " + payload.length + " ")
          .getBytes(StandardCharsets.UTF_8);
      byte[] pae = new byte[head.length + payload.length];
      System.arraycopy(head, 0, pae, 0, head.length);
      System.arraycopy(payload, 0, pae, head.length, payload.length);
      Signature ed25519 = Signature.getInstance("Ed25519");
      ed25519.initVerify(publicKey);
      ed25519.update(pae);

      assertThat(politie.getString("outcome")).isEqualTo("hit");
      assertThat(signature.getString("keyid")).isEqualTo(key.getString("keyid"));
      assertThat(ed25519.verify(Base64.getDecoder().decode(signature.getString("sig")))).isTrue();
      // The key is the one the party's certificate certifies, and that certificate the CA's.
      CertificateFactory x509 = CertificateFactory.getInstance("X.509");
      X509Certificate cert = (X509Certificate) x509.generateCertificate(
          new ByteArrayInputStream(key.getString("certificate").getBytes(StandardCharsets.US_ASCII)));
      X509Certificate ca = (X509Certificate) x509.generateCertificate(
          new ByteArrayInputStream(partners.getString("ca").getBytes(StandardCharsets.US_ASCII)));
      cert.verify(ca.getPublicKey());
      assertThat(cert.getPublicKey().getEncoded()).isEqualTo(spki);
      // And one flipped payload bit no longer verifies.
      pae[pae.length - 1] ^= 1;
      ed25519.initVerify(publicKey);
      ed25519.update(pae);
      assertThat(ed25519.verify(Base64.getDecoder().decode(signature.getString("sig")))).isFalse();
    }
  }

  @Test
  void partnersListsEveryConvenantPartyWithNodeStatusAndNeedsAToken() throws Exception {
    try (TestFederation fed = new TestFederation(dir, records(), Duration.ofSeconds(5), null)) {
      assertThat(fed.get("/v1/partners").statusCode()).isEqualTo(401);
      JsonObject partners = new JsonObject(fed.get("/v1/partners", fed.token("zvh", "p.jansen", "procesregisseur")).body());

      JsonObject politie = partner(partners, "politie");
      JsonObject ggz = partner(partners, "ggz");
      assertThat(politie.getString("node")).isEqualTo("configured");
      assertThat(politie.getJsonArray("signingKeys").getJsonObject(0).getString("algorithm")).isEqualTo("ed25519");
      assertThat(ggz.getString("node")).isEqualTo("not-configured");
      assertThat(ggz.getJsonArray("signingKeys")).isEmpty();
      assertThat(partners.getJsonObject("gateway").getJsonArray("signingKeys")).hasSize(1);
      assertThat(partners.getString("ca")).startsWith("-----BEGIN CERTIFICATE-----\n");
    }
  }

  private static JsonObject partner(JsonObject partners, String party) {
    return partners.getJsonArray("partners").stream().map(JsonObject.class::cast)
        .filter(p -> p.getString("party").equals(party)).findFirst().orElseThrow();
  }

  private static JsonArray partyKeys(JsonObject partners, String party) {
    return partner(partners, party).getJsonArray("signingKeys");
  }
}
