package nl.schakel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import nl.schakel.proto.v1.Envelope;
import nl.schakel.proto.v1.PayloadTypes;
import nl.schakel.proto.v1.Question;
import nl.schakel.trust.pki.FederationTrust;
import nl.schakel.trust.sign.DsseSignature;
import nl.schakel.trust.sign.DsseVerifier;
import nl.schakel.trust.sign.KeyId;
import nl.schakel.trust.sign.VerifiedPayload;
import nl.schakel.trust.sign.VerifyingKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway signs every question once, with its certified key, for all responders. */
class SignedQuestionsTest {
  @TempDir
  Path dir;

  @Test
  void everyResponderGetsTheSameQuestionSignedWithTheGatewaysCertifiedKey() throws Exception {
    var politie = FourEyesTest.RecordingNode.certified(dir, "politie");
    var veiligThuis = FourEyesTest.RecordingNode.certified(dir, "veilig-thuis");
    try (TestFederation fed = new TestFederation(dir, Map.of(), Duration.ofSeconds(5), null,
        Map.of("politie", politie, "veilig-thuis", veiligThuis))) {
      fed.post("/v1/queries", fed.token("zvh", "p.jansen", "procesregisseur"), FailingPartiesTest.QUERY);

      assertThat(politie.envelopes).hasSize(1);
      assertThat(veiligThuis.envelopes).hasSize(1);
      Envelope sent = politie.envelopes.get(0);
      assertThat(veiligThuis.envelopes.get(0)).isEqualTo(sent);
      VerifyingKey gatewayKey = FederationTrust.load(fed.pki.caCert()).certifiedSigningKey(
          FederationTrust.readCertificate(fed.pki.signingCert("gateway")), "gateway", TestFederation.NOW);
      List<DsseSignature> sigs = sent.getSignaturesList().stream()
          .map(s -> new DsseSignature(KeyId.parse(s.getKeyid()), s.getSig().toByteArray())).toList();

      VerifiedPayload verified = DsseVerifier.verify(PayloadTypes.QUESTION, sent.getPayload().toByteArray(), sigs,
          id -> id.equals(gatewayKey.keyId()) ? Optional.of(gatewayKey) : Optional.empty());

      assertThat(Question.parseFrom(verified.payload()).getPurpose()).isEqualTo("zvh-casus");
    }
  }
}
