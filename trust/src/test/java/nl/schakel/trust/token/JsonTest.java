package nl.schakel.trust.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

  @Test
  void escapesQuotesBackslashesAndControlCharacters() {
    assertThat(Json.string("a\"b\\c\nd\te\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "plain", "\"", "\\", "\u0000\u001f", "Ünal – 's-Hertogenbosch", "😀", "</script>"})
  void producesStringsThatAJsonParserReadsBackUnchanged(String value) {
    assertThat(new JsonArray("[" + Json.string(value) + "]").getString(0)).isEqualTo(value);
  }
}
