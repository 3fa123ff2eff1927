package nl.schakel.trust.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import nl.schakel.trust.jwt.JsonReader.MalformedJsonException;
import org.junit.jupiter.api.Test;

/** The strict JSON reader behind headers, claims and JWK Sets. */
class JsonReaderTest {

  @Test
  void readsTheValuesAClaimSetHolds() throws Exception {
    Map<String, Object> object =
        JsonReader.readObject(
            " {\"s\":\"a\\\"b\\u00e9\\n\",\"n\":-1.5e3,\"i\":1767225600,\"t\":true,\"f\":false,"
                + "\"z\":null,\"a\":[1,[],{}],\"o\":{\"k\":\"v\"}} ");

    assertThat(object.get("s")).isEqualTo("a\"b\u00e9\n");
    assertThat(object.get("n")).isEqualTo(new BigDecimal("-1.5e3"));
    assertThat(object.get("i")).isEqualTo(new BigDecimal("1767225600"));
    assertThat(object.get("t")).isEqualTo(true);
    assertThat(object.get("f")).isEqualTo(false);
    assertThat(object.get("z")).isSameAs(JsonReader.NULL);
    assertThat(object.get("a")).isEqualTo(List.of(new BigDecimal(1), List.of(), Map.of()));
    assertThat(object.get("o")).isEqualTo(Map.of("k", "v"));
  }

  @Test
  void readsAPairedSurrogateEscape() throws Exception {
    assertThat(JsonReader.readObject("{\"e\":\"\\ud83d\\ude00\"}").get("e")).isEqualTo("\ud83d\ude00");
  }

  @Test
  void refusesDuplicateMemberNames() {
    assertThatThrownBy(() -> JsonReader.readObject("{\"org\":\"a\",\"org\":\"b\"}"))
        .isInstanceOf(MalformedJsonException.class)
        .hasMessageContaining("duplicate member name at offset 11");
  }

  @Test
  void refusesWhatIsNotExactlyOneObject() {
    for (String bad : List.of("", "[]", "\"s\"", "{} {}", "{\"a\":1,}", "{\"a\" 1}", "{'a':1}", "{\"a\":01}",
        "{\"a\":1.}", "{\"a\":tru}", "{\"a\":\"\\x\"}", "{\"a\":\"\t\"}", "{\"a\":\"open}")) {
      assertThatThrownBy(() -> JsonReader.readObject(bad)).as(bad).isInstanceOf(MalformedJsonException.class);
    }
  }

  @Test
  void refusesAnUnpairedSurrogate() {
    assertThatThrownBy(() -> JsonReader.readObject("{\"a\":\"\\ud83d\"}"))
        .hasMessageContaining("unpaired surrogate");
  }

  @Test
  void refusesDeepNesting() {
    String deep = "{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}";

    assertThatThrownBy(() -> JsonReader.readObject(deep)).hasMessageContaining("deeper than 16");
  }

  @Test
  void errorsNameStructureNotContent() {
    assertThatThrownBy(() -> JsonReader.readObject("{\"bsn\":123456782x}"))
        .hasMessageContaining("found another character")
        .hasMessageNotContaining("123456782");
  }
}
