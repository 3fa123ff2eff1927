package nl.schakel.covenant;

import static nl.schakel.covenant.Fixtures.zvoWith;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The value every party signs: SHA-256 over "schakel/covenant/v1\n" and the RFC 8785 form of the
 * model's JSON projection. Layout does not change it; meaning does.
 */
class CanonicalHashTest {
  /** Pinned so that other parties' tools can check their own implementation against it. */
  private static final String ZVO_HASH =
      "ff43666d8cff8fc83779564969925d9e1d7ea49634b919dfef9d6547b538daf4";

  private final Covenant zvo = Fixtures.zvoCovenant();

  @Test
  void canonicalJsonOfTheExampleIsTheDocumentedProjection() {
    assertThat(zvo.canonicalJson()).isEqualTo(Fixtures.resource("zvo-midden.v3.canonical.json"));
  }

  @Test
  void hashIsSha256OverThePrefixAndTheCanonicalJson() throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    byte[] expected =
        sha256.digest(
            ("schakel/covenant/v1\n" + Fixtures.resource("zvo-midden.v3.canonical.json"))
                .getBytes(StandardCharsets.UTF_8));
    assertThat(zvo.canonicalHash()).isEqualTo(expected);
    assertThat(zvo.canonicalHashHex()).isEqualTo(ZVO_HASH);
  }

  @Test
  void commentsQuotingStyleKeyOrderAndDefaultsDoNotChangeTheHash() throws Exception {
    Covenant reformatted =
        CovenantParser.parse(Fixtures.resource("zvo-midden.v3.reformatted.yaml"), Fixtures.ZVO_FILE);
    assertThat(reformatted.canonicalHashHex()).isEqualTo(ZVO_HASH);
    assertThat(reformatted).isEqualTo(zvo);
  }

  @Test
  void theSourceFileNameIsNotPartOfTheHash() throws Exception {
    assertThat(CovenantParser.parse(Fixtures.zvo(), "elsewhere.yaml").canonicalHashHex())
        .isEqualTo(ZVO_HASH);
  }

  @Test
  void hashReturnsAFreshArrayEachTime() {
    byte[] first = zvo.canonicalHash();
    first[0] ^= 1;
    assertThat(zvo.canonicalHashHex()).isEqualTo(ZVO_HASH);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "version: 3 | version: 4",
        "Ondermijning regio Midden | Ondermijning regio Midden-Nederland",
        "until: 2027-12-31 | until: 2027-12-30",
        "retention: P5Y | retention: P6Y",
        "[burgemeester, oov-adviseur] | [burgemeester, oov-adviseur, jurist]",
        "contact: Infodesk Politie Midden-Nederland | contact: Infodesk Politie",
        "melding: {subjects: [person]} | melding: {subjects: [person], special: health}",
        "secrecy: Medisch beroepsgeheim (WGBO art. 7:457 BW) | secrecy: Medisch beroepsgeheim",
        "AVG art. 6 lid 1 sub e] | AVG art. 6 lid 1 sub c]",
        "^HV-\\d{4}-\\d{4}$ | ^HV-\\d{4}-\\d{5}$",
        "categories: [incident.huiselijk-geweld] | categories: any",
        "answer: hit-per-party\\n    four-eyes: true | answer: hit-any\\n    four-eyes: true",
        "lookback: P5Y | lookback: P4Y",
        "{bands: [0, 1, 3, 6]} | {bands: [0, 1, 3, 7]}",
        "{min: 5, round: 5} | {min: 5, round: 10}",
        "{min: 5, round: 5} | {min: 5, round: 5, zero: suppress}",
        "four-eyes: true | four-eyes: false",
        "area-level: buurt | area-level: wijk",
        "max: 200, window: P1D | max: 201, window: P1D",
        "max: 20, window: P1D | max: 20, window: PT12H",
        "{purpose: any, per: party | {purpose: zvh-casus, per: party",
        "reason: Fiscale geheimhoudingsplicht (AWR art. 67) | reason: Fiscale geheimhouding",
        "subjects: [person]\\n    reason | subjects: [person, address]\\n    reason",
        "askers: [zvh.procesregisseur] | askers: [zvh]",
        "responders: [politie, veilig-thuis, woningcorporatie] | responders: [politie, veilig-thuis]",
      })
  void everySemanticChangeChangesTheHash(String from, String to) throws Exception {
    Covenant changed =
        CovenantParser.parse(zvoWith(unescape(from), unescape(to)), Fixtures.ZVO_FILE);
    assertThat(changed.canonicalHashHex()).isNotEqualTo(ZVO_HASH);
  }

  @Test
  void jcsSortsKeysByUtf16CodeUnits() {
    // RFC 8785 §3.2.3 example: sorting by UTF-16 code units puts the emoji (a surrogate pair
    // starting 0xD83D) before U+FB33, unlike sorting by code points.
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("\u20ac", "Euro Sign");
    o.put("\r", "Carriage Return");
    o.put("\ufb33", "Hebrew Letter Dalet With Dagesh");
    o.put("1", "One");
    o.put("\ud83d\ude00", "Emoji: Grinning Face");
    o.put("\u0080", "Control");
    o.put("\u00f6", "Latin Small Letter O With Diaeresis");
    assertThat(Jcs.serialize(o))
        .isEqualTo(
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
  }

  @Test
  void jcsEscapesLikeJsonStringify() {
    assertThat(Jcs.serialize(List.of("a\"b\\c\n\t\u0001\u001f\u007f\u2028/", 0, -7L, 9007199254740991L, true)))
        .isEqualTo("[\"a\\\"b\\\\c\\n\\t\\u0001\\u001f\u007f\u2028/\",0,-7,9007199254740991,true]");
  }

  @Test
  void canonicalUtf8BytesAreHashedNotJavaChars() throws Exception {
    Covenant accented = CovenantParser.parse(zvoWith("Geintegreerde", "Geïntegreerde"), "x.yaml");
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    sha256.update("schakel/covenant/v1\n".getBytes(StandardCharsets.UTF_8));
    byte[] expected = sha256.digest(accented.canonicalJson().getBytes(StandardCharsets.UTF_8));
    assertThat(accented.canonicalJson()).contains("\"Geïntegreerde aanpak ondermijning\"");
    assertThat(accented.canonicalHashHex()).isEqualTo(HexFormat.of().formatHex(expected));
  }

  private static String unescape(String csv) {
    return csv.replace("\\n", "\n").replace("\\\\", "\\");
  }
}
