package nl.schakel.covenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import nl.schakel.covenant.SignatureCheck.Invalid;
import nl.schakel.covenant.SignatureCheck.Missing;
import nl.schakel.covenant.SignatureCheck.Problem;
import nl.schakel.covenant.SignatureCheck.Signed;
import nl.schakel.trust.sign.SigningKey;
import nl.schakel.trust.sign.VerifyingKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "In force" = within the dates and signed by every party named in the convenant; a text changed
 * after signing fails loudly.
 */
class SignedCovenantTest {
  private static final Instant MID_2026 = Instant.parse("2026-06-01T10:00:00Z");

  @TempDir Path dir;

  private final Covenant zvo = Fixtures.zvoCovenant();
  private final PartyKeyring keyring = new PartyKeyring(11);
  private final PartyKeys keys = keyring.publicKeys(zvo);

  private Path writeSigned(String yaml) throws Exception {
    Path file = dir.resolve("zvo-midden.v3.yaml");
    Files.writeString(file, yaml);
    keyring.signAll(Fixtures.parse(yaml)).writeTo(CovenantSignatures.sigsFileFor(file));
    return file;
  }

  @Test
  void isInForceWithinItsDatesWhenEveryPartySigned() throws Exception {
    SignedCovenant signed = SignedCovenant.load(writeSigned(Fixtures.zvo()), keys);

    assertThat(signed.signatures().complete()).isTrue();
    assertThat(signed.signatures().parties()).hasSize(8).allMatch(Signed.class::isInstance);
    assertThat(signed.inForceAt(MID_2026)).isTrue();
    assertThat(signed.whyNotInForceAt(MID_2026)).isEmpty();
    assertThat(signed.signatures().summary()).isEqualTo("signed by all 8 parties");
  }

  @Test
  void namesTheCanonicalHashItsSignaturesCover() throws Exception {
    SignedCovenant signed = SignedCovenant.load(writeSigned(Fixtures.zvo()), keys);

    assertThat(signed.hash()).isEqualTo(signed.covenant().canonicalHash());
    signed.hash()[0] ^= 1; // a copy: callers cannot change what the next caller sees
    assertThat(signed.hash()).isEqualTo(signed.covenant().canonicalHash());
  }

  @Test
  void isNotInForceBeforeOrAfterItsDatesEvenWhenSigned() throws Exception {
    SignedCovenant signed = SignedCovenant.load(writeSigned(Fixtures.zvo()), keys);
    // 2025-12-31T23:30Z is already 2026-01-01 in Amsterdam.
    Instant lastMinuteOf2025InAmsterdam = Instant.parse("2025-12-31T22:59:00Z");
    Instant firstDayInAmsterdam = Instant.parse("2025-12-31T23:30:00Z");
    Instant afterUntil = Instant.parse("2027-12-31T23:00:00Z");

    assertThat(signed.inForceAt(lastMinuteOf2025InAmsterdam)).isFalse();
    assertThat(signed.inForceAt(firstDayInAmsterdam)).isTrue();
    assertThat(signed.inForceAt(afterUntil)).isFalse();
    assertThat(signed.whyNotInForceAt(lastMinuteOf2025InAmsterdam)).contains(
        "not yet valid on 2025-12-31: valid from 2026-01-01 until 2027-12-31 (inclusive, Europe/Amsterdam)");
    assertThat(signed.whyNotInForceAt(afterUntil)).contains(
        "expired on 2028-01-01: valid from 2026-01-01 until 2027-12-31 (inclusive, Europe/Amsterdam)");
  }

  @Test
  void isNotInForceWhileAPartyHasNotSignedAndSaysWho() throws Exception {
    Path file = dir.resolve("zvo-midden.v3.yaml");
    Files.writeString(file, Fixtures.zvo());
    CovenantSignatures all = keyring.signAll(zvo);
    CovenantSignatures withoutTwo = CovenantSignatures.none(zvo);
    for (PartySignature s : all.all()) {
      if (!s.party().equals("zvh") && !s.party().equals("ggz")) {
        withoutTwo = withoutTwo.with(s);
      }
    }
    withoutTwo.writeTo(CovenantSignatures.sigsFileFor(file));

    SignedCovenant signed = SignedCovenant.load(file, keys);

    assertThat(signed.inForceAt(MID_2026)).isFalse();
    assertThat(signed.signatures().missing()).containsExactly("zvh", "ggz");
    assertThat(signed.signatures().parties()).filteredOn(Missing.class::isInstance).hasSize(2);
    assertThat(signed.whyNotInForceAt(MID_2026))
        .contains("missing signatures: zvh, ggz");
  }

  @Test
  void namesEveryReasonWhenSeveralHold() throws Exception {
    CovenantSignatures onlyPolitie =
        CovenantSignatures.none(zvo).with(PartySignature.sign(zvo, "politie", keyring.key("politie")));
    PartyKeys noKeyForPolitie = party -> party.equals("politie") ? List.of() : keys.keysOf(party);

    SignedCovenant signed = SignedCovenant.verify(zvo, onlyPolitie, noKeyForPolitie);

    assertThat(signed.whyNotInForceAt(Instant.parse("2028-03-01T12:00:00Z"))).contains(
        "expired on 2028-03-01: valid from 2026-01-01 until 2027-12-31 (inclusive, Europe/Amsterdam);"
            + " missing signatures: gemeente-oov, zvh, riec, veilig-thuis, woningcorporatie, belastingdienst, ggz;"
            + " invalid signatures: politie");
  }

  @Test
  void isNotInForceWithoutASignatureFile() throws Exception {
    Path file = dir.resolve("zvo-midden.v3.yaml");
    Files.writeString(file, Fixtures.zvo());

    SignedCovenant signed = SignedCovenant.load(file, keys);

    assertThat(signed.inForceAt(MID_2026)).isFalse();
    assertThat(signed.signatures().missing()).hasSize(8);
  }

  @Test
  void failsLoudlyNamingThePartiesWhenTheTextChangedAfterSigning() throws Exception {
    Path file = writeSigned(Fixtures.zvo());
    // One character of the legal text: a refusal reason.
    Files.writeString(file, Fixtures.zvoWith("AWR art. 67", "AWR art. 68"));

    TamperedCovenantException e =
        catchThrowableOfType(TamperedCovenantException.class, () -> SignedCovenant.load(file, keys));

    assertThat(e).isNotNull();
    assertThat(e.check().mismatched()).hasSize(8).contains("politie", "ggz");
    assertThat(e.getMessage()).startsWith("zvo-midden.v3.yaml (zvo-midden v3) was changed after it was signed:"
        + " the signatures of gemeente-oov, zvh, riec, politie, veilig-thuis, woningcorporatie, belastingdienst, ggz"
        + " do not match its text.");
  }

  @Test
  void failsLoudlyWhenASignatureWasAltered() throws Exception {
    CovenantSignatures all = keyring.signAll(zvo);
    byte[] sig = all.of("riec").orElseThrow().signature();
    sig[10] ^= 1;
    CovenantSignatures altered = all.with(new PartySignature("riec", keyring.key("riec").keyId(), sig));

    TamperedCovenantException e =
        catchThrowableOfType(TamperedCovenantException.class, () -> SignedCovenant.verify(zvo, altered, keys));

    assertThat(e.check().mismatched()).containsExactly("riec");
    assertThat(e.check().parties()).filteredOn(Invalid.class::isInstance).singleElement()
        .satisfies(s -> assertThat(((Invalid) s).problem()).isEqualTo(Problem.SIGNATURE_MISMATCH));
  }

  @Test
  void keepsSignaturesValidWhenOnlyLayoutAndCommentsChange() throws Exception {
    Path file = writeSigned(Fixtures.zvo());
    Files.writeString(file, Fixtures.resource("zvo-midden.v3.reformatted.yaml"));

    assertThat(SignedCovenant.load(file, keys).inForceAt(MID_2026)).isTrue();
  }

  @Test
  void acceptsASignatureByEitherKeyOfAPartyDuringRotation() throws Exception {
    SigningKey next = PartyKeyring.generate(99);
    CovenantSignatures signatures = keyring.signAll(zvo).with(PartySignature.sign(zvo, "politie", next));
    PartyKeys rotating = party -> party.equals("politie")
        ? List.of(keyring.key("politie").verifyingKey(), next.verifyingKey())
        : keys.keysOf(party);

    SignedCovenant signed = SignedCovenant.verify(zvo, signatures, rotating);

    assertThat(signed.inForceAt(MID_2026)).isTrue();
    assertThat(signed.signatures().parties()).contains(new Signed("politie", next.keyId()));
  }

  @Test
  void doesNotCountASignatureByAKeyThatIsNotThePartysOwn() throws Exception {
    // riec's key signs in politie's name: a valid Ed25519 signature, but not politie's.
    CovenantSignatures signatures =
        keyring.signAll(zvo).with(PartySignature.sign(zvo, "politie", keyring.key("riec")));

    SignedCovenant signed = SignedCovenant.verify(zvo, signatures, keys);

    assertThat(signed.inForceAt(MID_2026)).isFalse();
    assertThat(signed.signatures().invalid()).containsExactly("politie");
    assertThat(signed.signatures().tampered()).isFalse();
    assertThat(signed.signatures().parties()).filteredOn(s -> s.party().equals("politie")).singleElement()
        .isEqualTo(new Invalid("politie", keyring.key("riec").keyId(), Problem.UNKNOWN_KEY,
            "signed with key " + keyring.key("riec").keyId() + ", which is not one of politie's keys ("
                + keyring.key("politie").keyId() + ")"));
    assertThat(signed.whyNotInForceAt(MID_2026))
        .contains("invalid signatures: politie");
  }

  @Test
  void saysSoWhenNoKeyOfAPartyIsKnown() throws Exception {
    PartyKeys withoutGgz = party -> party.equals("ggz") ? List.of() : keys.keysOf(party);

    SignedCovenant signed = SignedCovenant.verify(zvo, keyring.signAll(zvo), withoutGgz);

    assertThat(signed.signatures().parties()).filteredOn(s -> s.party().equals("ggz")).singleElement()
        .extracting(s -> ((Invalid) s).detail()).asString()
        .endsWith(", but no public key of ggz is known");
  }

  @Test
  void refusesSignaturesThatWereReadForAnotherConvenant() {
    Covenant v4 = Fixtures.parse(Fixtures.zvoWith("version: 3", "version: 4"));

    assertThatThrownBy(() -> SignatureCheck.of(v4, keyring.signAll(zvo), keys))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void signsTheBareCanonicalHashSoStandardToolsCanCheckIt() throws Exception {
    PartySignature s = PartySignature.sign(zvo, "politie", keyring.key("politie"));
    byte[] spki = Base64.getMimeDecoder().decode(
        keyring.key("politie").verifyingKey().toPem().replaceAll("-----[A-Z ]+-----", ""));
    Signature jdk = Signature.getInstance("Ed25519");
    jdk.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)));
    jdk.update(zvo.canonicalHash());

    assertThat(jdk.verify(s.signature())).isTrue();
  }

  @Test
  void readsPartyKeysAndRotationKeysFromADirectory() throws Exception {
    SigningKey next = PartyKeyring.generate(99);
    Files.writeString(dir.resolve("politie.pub.pem"), keyring.key("politie").verifyingKey().toPem());
    Files.writeString(dir.resolve("politie.2.pub.pem"), next.verifyingKey().toPem());
    Files.writeString(dir.resolve("riec.pub.pem"), keyring.key("riec").verifyingKey().toPem());
    keyring.key("riec").writeTo(dir.resolve("riec.key.pem"));

    PartyKeys read = PartyKeys.readDirectory(dir);

    assertThat(read.keysOf("politie")).containsExactly(keyring.key("politie").verifyingKey(), next.verifyingKey());
    assertThat(read.keysOf("riec")).containsExactly(keyring.key("riec").verifyingKey());
    assertThat(read.keysOf("zvh")).isEmpty();
  }

  @Test
  void refusesPublicKeyFilesNamedOtherwiseRatherThanSkipThem() throws Exception {
    Files.writeString(dir.resolve("politie.3.pub.pem"), keyring.key("politie").verifyingKey().toPem());

    assertThatThrownBy(() -> PartyKeys.readDirectory(dir))
        .hasMessageContaining("holds politie.3.pub.pem; public key files are named <party>.pub.pem,"
            + " or <party>.2.pub.pem");
  }

  @Test
  void refusesAKeyDirectoryThatDoesNotExist() {
    assertThatThrownBy(() -> PartyKeys.readDirectory(dir.resolve("nope")))
        .hasMessageEndingWith("does not exist or is not a directory");
  }

  @Test
  void refusesAPublicKeyFileThatHoldsNoKey() throws Exception {
    Files.writeString(dir.resolve("politie.pub.pem"), "garbage\n");

    assertThatThrownBy(() -> PartyKeys.readDirectory(dir)).hasMessageContaining("politie.pub.pem holds no PEM block");
  }

  @Test
  void keepsPartyKeysFromChangingAfterConstruction() {
    var list = new java.util.ArrayList<VerifyingKey>(List.of(keyring.key("zvh").verifyingKey()));
    PartyKeys fixed = PartyKeys.of(Map.of("zvh", list));
    list.clear();

    assertThat(fixed.keysOf("zvh")).hasSize(1);
  }
}
