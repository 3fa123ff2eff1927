package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code source:} section of node.yaml, bound as the CLI's config loader binds it. */
class SourceConfigTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()).registerModule(new JavaTimeModule())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  static NodeConfig.Source source(String yaml) throws Exception {
    return YAML.readValue(yaml, NodeConfig.Source.class);
  }

  @Test
  void readsAJdbcSourceWithPasswordFromAFileRelativeToTheConfig() throws Exception {
    NodeConfig.Source s = source("""
        jdbc:
          url: jdbc:postgresql://db.politie.internal:5432/registraties
          user: schakel_reader
          password-file: secrets/db.password
          drivers: drivers
          fetch-size: 5000
          query-timeout: PT30M
          query: |
            SELECT soort AS subject_type, bsn AS identifier, categorie AS category, datum AS date, buurt AS area
              FROM schakel_export
        refresh: PT15M
        """).resolveAgainst(Path.of("/etc/schakel"));

    var jdbc = (NodeConfig.Source.Jdbc) s.origin();
    assertThat(jdbc.url()).isEqualTo("jdbc:postgresql://db.politie.internal:5432/registraties");
    assertThat(jdbc.user()).contains("schakel_reader");
    assertThat(jdbc.password()).contains(new DatabasePassword.FromFile(Path.of("/etc/schakel/secrets/db.password")));
    assertThat(jdbc.drivers()).contains(Path.of("/etc/schakel/drivers"));
    assertThat(jdbc.fetchSize()).isEqualTo(5000);
    assertThat(jdbc.queryTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(jdbc.query()).contains("FROM schakel_export");
    assertThat(s.refresh()).contains(Duration.ofMinutes(15));
  }

  @Test
  void aCsvSourceWithoutRefreshIsReadOnce() throws Exception {
    NodeConfig.Source s = source("csv: data/politie.csv").resolveAgainst(Path.of("/etc/schakel"));

    assertThat(s.origin()).isEqualTo(new NodeConfig.Source.Csv(Path.of("/etc/schakel/data/politie.csv")));
    assertThat(s.refresh()).isEmpty();
  }

  @Test
  void refusesBothOrNeitherKindOfSource() {
    assertThatThrownBy(() -> source("{csv: a.csv, jdbc: {url: 'jdbc:postgresql://db/x', query: SELECT 1}}"))
        .hasMessageContaining("exactly one of csv: PATH or jdbc:").hasMessageContaining("found both");
    assertThatThrownBy(() -> source("refresh: PT15M"))
        .hasMessageContaining("exactly one of csv: PATH or jdbc:").hasMessageContaining("found neither");
  }

  @Test
  void refusesAPasswordWrittenInTheConfigWithoutEchoingIt() {
    assertThatThrownBy(() -> source("jdbc: {url: 'jdbc:postgresql://db/x', query: SELECT 1, password: Hunter2-Secret}"))
        .hasMessageContaining("password is not allowed in node.yaml")
        .hasMessageContaining("password-env")
        .hasMessageNotContaining("Hunter2-Secret");
  }

  @Test
  void refusesTwoPasswordSources() {
    assertThatThrownBy(() -> source(
        "jdbc: {url: 'jdbc:postgresql://db/x', query: SELECT 1, password-env: DB_PW, password-file: pw.txt}"))
        .hasMessageContaining("at most one of password-env and password-file");
  }

  @Test
  void refusesARefreshMoreOftenThanOnceAMinute() {
    assertThatThrownBy(() -> source("{csv: a.csv, refresh: PT5S}"))
        .hasMessageContaining("source.refresh must be at least PT1M, found PT5S");
  }

  @Test
  void refusesAUrlThatIsNotJdbc() {
    assertThatThrownBy(() -> source("jdbc: {url: 'postgres://u:Pw-Secret@db/x', query: SELECT 1}"))
        .hasMessageContaining("must start with jdbc:")
        .hasMessageNotContaining("Pw-Secret");
  }

  @Test
  void theDefaultsAreAThousandRowsPerFetchAndTenMinutesPerQuery() {
    var jdbc = new NodeConfig.Source.Jdbc("jdbc:postgresql://db/x", Optional.empty(), Optional.empty(), "SELECT 1",
        Optional.empty());

    assertThat(jdbc.fetchSize()).isEqualTo(1000);
    assertThat(jdbc.queryTimeout()).isEqualTo(Duration.ofMinutes(10));
  }
}
