package nl.schakel.node;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * A real PostgreSQL holding a partner's records in the partner's own shape: Dutch column names, a
 * BSN column, a registration date. The node reads it as role {@code schakel_reader}, which has a
 * password (scram-sha-256 over TCP) and may only SELECT, as the operator guide recommends.
 */
final class PartnerDatabase implements AutoCloseable {
  static final String READER = "schakel_reader";
  static final String READER_PASSWORD = "s3cret-Reader-pw";
  /** The partner's table mapped onto the node's five columns. */
  static final String MAPPING = """
      SELECT soort_subject AS subject_type, bsn_nummer AS identifier, categorie AS category,
             registratiedatum AS date, buurtcode AS area
        FROM registraties
      """;

  private final EmbeddedPostgres pg;
  private boolean stopped;

  private PartnerDatabase(EmbeddedPostgres pg) {
    this.pg = pg;
  }

  static PartnerDatabase start() throws IOException, SQLException {
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setDataDirectoryCustomizer(dir -> {
          try {
            // The superuser connects without a password for the fixture; the node's role needs one.
            Files.writeString(dir.toPath().resolve("pg_hba.conf"), """
                local all all trust
                host all postgres 127.0.0.1/32 trust
                host all postgres ::1/128 trust
                host all all 127.0.0.1/32 scram-sha-256
                host all all ::1/128 scram-sha-256
                """);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        })
        .start();
    PartnerDatabase db = new PartnerDatabase(pg);
    db.execute("CREATE TABLE registraties (id serial PRIMARY KEY, soort_subject text, bsn_nummer text,"
        + " categorie text, registratiedatum date, buurtcode text)");
    db.execute("CREATE ROLE " + READER + " LOGIN PASSWORD '" + READER_PASSWORD + "'");
    db.execute("GRANT SELECT ON registraties TO " + READER);
    return db;
  }

  String url() {
    return "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
  }

  Connection admin() throws SQLException {
    return pg.getPostgresDatabase().getConnection();
  }

  void execute(String sql) throws SQLException {
    try (Connection c = admin(); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  void insert(String subjectType, String identifier, String category, String date, String area) throws SQLException {
    try (Connection c = admin();
        var st = c.prepareStatement("INSERT INTO registraties (soort_subject, bsn_nummer, categorie, registratiedatum,"
            + " buurtcode) VALUES (?, ?, ?, CAST(? AS date), ?)")) {
      st.setString(1, subjectType);
      st.setString(2, identifier);
      st.setString(3, category);
      st.setString(4, date);
      st.setString(5, area);
      st.executeUpdate();
    }
  }

  /** The reader's password in a file, as {@code password-file:} names it. */
  Path passwordFile(Path dir) throws IOException {
    Path file = dir.resolve("db.password");
    Files.writeString(file, READER_PASSWORD + "\n");
    return file;
  }

  /** A source config reading {@code query} as the read-only role with its password from a file. */
  NodeConfig.Source.Jdbc source(String query, Path dir) throws IOException {
    return new NodeConfig.Source.Jdbc(url(), Optional.of(READER),
        Optional.of(new DatabasePassword.FromFile(passwordFile(dir))), query, Optional.empty());
  }

  /** Stops the server; once only, so a test may stop it early. */
  @Override
  public void close() throws IOException {
    if (!stopped) {
      stopped = true;
      pg.close();
    }
  }
}
