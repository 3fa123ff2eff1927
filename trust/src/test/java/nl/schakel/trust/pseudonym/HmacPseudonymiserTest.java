package nl.schakel.trust.pseudonym;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import nl.schakel.trust.identifier.BagId;
import nl.schakel.trust.identifier.Bsn;
import nl.schakel.trust.identifier.Identifier;
import nl.schakel.trust.identifier.KvkNumber;
import nl.schakel.trust.identifier.PostalAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HmacPseudonymiserTest {

  /** The bytes 0x00..0x1f: a fixed key for known answers. */
  private static final PseudonymKey KEY = PseudonymKey.of(sequence(32));

  private static final PseudonymKey OTHER_KEY = PseudonymKey.of(sequence(32, 100));

  private final HmacPseudonymiser matching = HmacPseudonymiser.create(KEY, "matching");

  /**
   * Vectors computed outside Java (Python 3: hmac.new(bytes(range(32)),
   * b"schakel/v1/<purpose>/<domain>\0<canonical>", hashlib.sha256)), so that any other
   * implementation of the scheme, including a future OPRF migration check, can test against them.
   */
  @ParameterizedTest
  @CsvSource({
    "matching, BSN,    999990019,        631124878f3702283305379865d623cc3d0fd1c12826a775809f432ea6de1d83",
    "matching, KVK,    12345678,         9efc21d8c1678323bca9d4743b4946375a4b6e297fefb3235070169dbc4887f7",
    "matching, BAG_ID, 0344010000123456, 99383d083385aed73e206aa2dbf743a46cd659abcd3ed75c2c78bb9839b42303",
    "matching, POSTAL_ADDRESS, 3511AB 12A-2, e968c7528269ac5ee4fcd6c9615e55045318104ce008b47b8f49ea36f6615245",
    "audit,    BSN,    999990019,        7e2c1bc59ec8600471b82461582aefee9e2a0e8e98f37f85e8fbf9f54c73cb9f",
    "audit,    KVK,    12345678,         422a59b1519dbe8ac7281cda81a8de6c753d2ed9a58672bc28ec1f25c7afb385",
    "audit,    BAG_ID, 0344010000123456, ef893ba60a2683d707c3ac13aadfe2e4797ff39607ae7e2b520d291143f5af8f",
    "audit,    POSTAL_ADDRESS, 3511AB 12A-2, f800ba6f0771d2c735659fd890c8cf11ba6f64a670d1ad1c46ed52d0e6aad84e"
  })
  void matchesKnownAnswers(
      String purpose, nl.schakel.trust.identifier.IdentifierForm form, String text, String hex) {
    Identifier id = Identifier.parse(form, text);

    Pseudonym pseudonym = HmacPseudonymiser.create(KEY, purpose).pseudonymise(id);

    assertThat(pseudonym.toHex()).isEqualTo(hex);
  }

  @Test
  void isHmacSha256OverPurposeFormNulAndCanonicalText() throws Exception {
    PostalAddress address = PostalAddress.of("3511 ab", 12, "a", "2");

    byte[] expected =
        hmac(sequence(32), "schakel/v1/matching/postal-address\u00003511AB 12A-2");

    assertThat(matching.pseudonymise(address).bytes()).isEqualTo(expected);
  }

  @Test
  void sameIdentifierAndKeyGiveTheSamePseudonymAcrossInstances() {
    HmacPseudonymiser gatewaySide = HmacPseudonymiser.create(KEY, "matching");
    HmacPseudonymiser nodeSide = HmacPseudonymiser.create(PseudonymKey.of(sequence(32)), "matching");

    assertThat(gatewaySide.pseudonymise(Bsn.parse("999990019")))
        .isEqualTo(nodeSide.pseudonymise(Bsn.parse("999990019")));
  }

  @Test
  void legacyEightDigitBsnGetsThePseudonymOfItsPaddedForm() {
    assertThat(matching.pseudonymise(Bsn.parse("12345672")))
        .isEqualTo(matching.pseudonymise(Bsn.parse("012345672")));
  }

  @Test
  void differentKeysGiveUnrelatedPseudonyms() {
    Bsn bsn = Bsn.parse("999990019");

    assertThat(HmacPseudonymiser.create(OTHER_KEY, "matching").pseudonymise(bsn))
        .isNotEqualTo(matching.pseudonymise(bsn));
  }

  @Test
  void matchingAndAuditPurposesGiveUnrelatedPseudonymsEvenUnderOneKey() {
    Bsn bsn = Bsn.parse("999990019");

    assertThat(HmacPseudonymiser.create(KEY, "audit").pseudonymise(bsn))
        .isNotEqualTo(matching.pseudonymise(bsn));
  }

  @Test
  void theSameDigitsUnderAnotherFormGiveAnotherPseudonym() throws Exception {
    // "12345672" is a valid KvK number and, padded, a valid BSN; the form's domain keeps them
    // apart even when the digits coincide.
    Pseudonym kvk = matching.pseudonymise(KvkNumber.parse("12345672"));
    byte[] sameDigitsAsBsn = hmac(sequence(32), "schakel/v1/matching/bsn\u000012345672");
    byte[] sameDigitsUndomained = hmac(sequence(32), "12345672");

    assertThat(kvk.bytes()).isNotEqualTo(sameDigitsAsBsn).isNotEqualTo(sameDigitsUndomained);
    assertThat(kvk.bytes()).isEqualTo(hmac(sequence(32), "schakel/v1/matching/kvk\u000012345672"));
  }

  @Test
  void differentIdentifiersGiveDifferentPseudonyms() {
    assertThat(matching.pseudonymise(Bsn.parse("999990019")))
        .isNotEqualTo(matching.pseudonymise(Bsn.parse("999990032")));
    assertThat(matching.pseudonymise(BagId.parse("0344010000123456")))
        .isNotEqualTo(matching.pseudonymise(BagId.parse("0344200000123456")));
  }

  @Test
  void givesEveryThreadTheSameAnswersAsOneThread() throws Exception {
    List<Identifier> ids = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      ids.add(KvkNumber.parse(String.format("%08d", i * 4_999)));
    }
    List<Pseudonym> sequential = ids.stream().map(matching::pseudonymise).toList();

    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<List<Pseudonym>>> tasks = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        tasks.add(() -> ids.stream().map(matching::pseudonymise).toList());
      }
      for (Future<List<Pseudonym>> result : pool.invokeAll(tasks)) {
        assertThat(result.get()).isEqualTo(sequential);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "Matching", "match/ing", "match ing", "matching\u0000", "1matching", "-x",
          "abcdefghijklmnopqrstuvwxyz0123456"})
  void rejectsPurposeLabelsThatCouldBlurTheDomainSeparation(String label) {
    assertThatThrownBy(() -> HmacPseudonymiser.create(KEY, label))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("purpose label must match ^[a-z][a-z0-9-]{0,31}$");
  }

  @Test
  void printsItsPurposeButNotItsKey() {
    assertThat(matching.toString()).isEqualTo("HmacPseudonymiser[purpose=matching]");
  }

  private static byte[] hmac(byte[] key, String input) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] sequence(int length) {
    return sequence(length, 0);
  }

  private static byte[] sequence(int length, int start) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (start + i);
    }
    return bytes;
  }
}
