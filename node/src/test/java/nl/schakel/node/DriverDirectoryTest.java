package nl.schakel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Driver;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drivers for databases other than PostgreSQL come from jars in a directory, since java -jar ignores the class path. */
class DriverDirectoryTest {
  @TempDir
  Path dir;

  static NodeConfig.Source.Jdbc jdbc(String url, Optional<Path> drivers) {
    return new NodeConfig.Source.Jdbc(url, Optional.of("reader"),
        Optional.of(new DatabasePassword.FromEnvironment("DB_PASSWORD")), "SELECT 1", drivers);
  }

  @Test
  void aDirectoryWithoutJarsGivesAnErrorNamingTheDirectoryAndTheUrlScheme() throws IOException {
    Path drivers = Files.createDirectories(dir.resolve("drivers"));
    Files.writeString(drivers.resolve("README.txt"), "put ojdbc11.jar here");

    assertThatThrownBy(() -> JdbcRecordSource.driver(
        jdbc("jdbc:oracle:thin:scott/Tiger-Secret@db.example:1521/records", Optional.of(drivers))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no JDBC driver for jdbc:oracle: URLs")
        .hasMessageContaining(drivers.toString())
        .hasMessageContaining("holds no .jar files")
        .hasMessageNotContaining("Tiger-Secret");
  }

  @Test
  void withoutADriversDirectoryOnlyPostgresqlIsKnownAndTheErrorSaysWhereToPutAJar() {
    assertThatThrownBy(() -> JdbcRecordSource.driver(
        jdbc("jdbc:sqlserver://db.example;user=sa;password=Mssql-Secret", Optional.empty())))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no JDBC driver for jdbc:sqlserver: URLs (jdbc:sqlserver://db.example)")
        .hasMessageContaining("source.jdbc.drivers")
        .hasMessageNotContaining("Mssql-Secret");
  }

  @Test
  void aMissingDriversDirectoryIsNamed() {
    Path missing = dir.resolve("no-such-drivers");

    assertThatThrownBy(() -> JdbcRecordSource.driver(jdbc("jdbc:h2:mem:x", Optional.of(missing))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(missing + " is not a directory");
  }

  @Test
  void loadsADriverFromAJarInTheDirectoryInItsOwnClassLoader() throws Exception {
    Path drivers = Files.createDirectories(dir.resolve("drivers"));
    Path postgresJar = Path.of(org.postgresql.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Files.copy(postgresJar, drivers.resolve("postgresql.jar"));

    Driver driver = JdbcRecordSource.driver(jdbc("jdbc:postgresql://db.example/records", Optional.of(drivers)));

    // The jar's own copy, isolated from the node's class path: a driver in drivers/ wins over the built-in one.
    assertThat(driver.getClass().getName()).isEqualTo("org.postgresql.Driver");
    assertThat(driver.getClass().getClassLoader()).isNotSameAs(org.postgresql.Driver.class.getClassLoader());
  }

  @Test
  void theBuiltInPostgresqlDriverNeedsNoDirectory() throws IOException {
    assertThat(JdbcRecordSource.driver(jdbc("jdbc:postgresql://db.example/records", Optional.empty())))
        .isInstanceOf(org.postgresql.Driver.class);
  }

  @Test
  void urlsInMessagesKeepSchemeAndHostButNoCredentials() {
    assertThat(JdbcUrls.redacted("jdbc:postgresql://db:5432/records?user=a&password=p")).isEqualTo("jdbc:postgresql://db:5432/records");
    assertThat(JdbcUrls.redacted("jdbc:mysql://root:pw@db/records")).isEqualTo("jdbc:mysql://***@db/records");
    assertThat(JdbcUrls.redacted("jdbc:oracle:thin:scott/tiger@db:1521/x")).doesNotContain("tiger");
    assertThat(JdbcUrls.scheme("jdbc:oracle:thin:@db:1521/x")).isEqualTo("jdbc:oracle:");
  }
}
