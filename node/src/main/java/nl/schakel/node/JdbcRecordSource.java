package nl.schakel.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Function;
import nl.schakel.trust.pseudonym.Pseudonymiser;

/**
 * Reads partner records straight from the partner's database with the one query in {@code
 * node.yaml}, which must return the columns {@code subject_type, identifier, category, date, area}
 * (rename with {@code AS}). Every row goes through the same validation as a CSV row; the row number
 * is the row's position in the result set (1 = first row).
 *
 * <p>The connection is read-only and its transaction is rolled back, never committed: the node
 * must not be able to change the records it answers about, whatever the query says. The result set
 * is streamed {@code fetch-size} rows at a time (PostgreSQL streams only outside auto-commit), so
 * memory holds the index being built, never the whole result.
 */
final class JdbcRecordSource implements RecordSource {
  private final NodeConfig.Source.Jdbc config;
  private final Driver driver;
  private final Function<String, Optional<String>> environment;
  private final Pseudonymiser pseudonymiser;

  JdbcRecordSource(NodeConfig.Source.Jdbc config, Driver driver, Function<String, Optional<String>> environment,
      Pseudonymiser pseudonymiser) {
    this.config = config;
    this.driver = driver;
    this.environment = environment;
    this.pseudonymiser = pseudonymiser;
  }

  /**
   * A source for {@code config}, its driver found now (so a missing driver stops the start): the
   * one in {@code drivers} that accepts the URL, else the built-in PostgreSQL driver.
   */
  static JdbcRecordSource open(NodeConfig.Source.Jdbc config, Function<String, Optional<String>> environment,
      Pseudonymiser pseudonymiser) throws IOException {
    return new JdbcRecordSource(config, driver(config), environment, pseudonymiser);
  }

  static Driver driver(NodeConfig.Source.Jdbc config) throws IOException {
    Optional<DriverDirectory> dir = Optional.empty();
    if (config.drivers().isPresent()) {
      dir = Optional.of(DriverDirectory.load(config.drivers().get()));
      Optional<Driver> found = dir.get().driverFor(config.url());
      if (found.isPresent()) {
        return found.get();
      }
    }
    Driver postgres = new org.postgresql.Driver();
    try {
      if (postgres.acceptsURL(config.url())) {
        return postgres;
      }
    } catch (SQLException e) {
      // Not a PostgreSQL URL; say so below.
    }
    String scheme = JdbcUrls.scheme(config.url());
    throw new IOException("source.jdbc: no JDBC driver for " + scheme + " URLs (" + JdbcUrls.redacted(config.url())
        + "): PostgreSQL is built in; for another database put its JDBC driver jar in "
        + dir.map(d -> "the drivers directory " + d.dir() + ", but " + d.contents())
            .orElse("a directory and name it in source.jdbc.drivers"));
  }

  @Override
  public IngestReport read(Consumer<SubjectRecord> sink) throws IOException {
    RecordRows rows = new RecordRows(pseudonymiser, sink);
    try (Connection c = connect()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      try (Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
        st.setFetchSize(config.fetchSize());
        st.setQueryTimeout(timeoutSeconds());
        try (ResultSet rs = st.executeQuery(config.query())) {
          Columns columns = Columns.of(rs.getMetaData(), describe());
          long row = 0;
          while (rs.next()) {
            row++;
            rows.accept(row, columns.text(rs, Columns.SUBJECT_TYPE), columns.text(rs, Columns.IDENTIFIER),
                columns.text(rs, Columns.CATEGORY), columns.text(rs, Columns.DATE), columns.text(rs, Columns.AREA));
          }
        }
      } finally {
        rollbackQuietly(c);
      }
    } catch (SQLException e) {
      // Not chained: a driver's message or its causes may quote a value; only the redacted text travels.
      throw new IOException(describe() + ": " + message(e) + (rows.seen() > 0 ? " (after " + rows.seen() + " rows)" : ""));
    }
    return rows.report();
  }

  @Override
  public String describe() {
    return JdbcUrls.redacted(config.url());
  }

  private Connection connect() throws SQLException, IOException {
    Properties props = new Properties();
    config.user().ifPresent(u -> props.setProperty("user", u));
    if (config.password().isPresent()) {
      props.setProperty("password", password(config.password().get(), environment));
    }
    if (driver instanceof org.postgresql.Driver) {
      props.setProperty("ApplicationName", "schakel-node");
      // The server's "Detail:" lines quote row values (Key (bsn)=(...)); keep them out of messages.
      props.setProperty("logServerErrorDetail", "false");
      props.setProperty("connectTimeout", "30");
      // A database that vanishes without closing the socket must fail the refresh, not hang it.
      props.setProperty("socketTimeout", String.valueOf(timeoutSeconds() + 60));
    }
    Connection c = driver.connect(config.url(), props);
    if (c == null) {
      throw new IOException(describe() + ": driver " + driver.getClass().getName() + " does not accept this URL");
    }
    return c;
  }

  /** Reads the password now, so a rotated secret is picked up by the next refresh. Never logged. */
  static String password(DatabasePassword source, Function<String, Optional<String>> environment) throws IOException {
    if (source instanceof DatabasePassword.FromEnvironment env) {
      return environment.apply(env.variable()).orElseThrow(() -> new IOException(
          "source.jdbc.password-env: environment variable " + env.variable() + " is not set"));
    }
    var file = ((DatabasePassword.FromFile) source).file();
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IOException("source.jdbc.password-file: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  private int timeoutSeconds() {
    return (int) Math.min(Integer.MAX_VALUE, config.queryTimeout().toSeconds());
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      // The connection is gone; there is nothing to undo in a read-only transaction anyway.
    }
  }

  private static String message(SQLException e) {
    String state = e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]";
    return Redaction.identifiers(String.valueOf(e.getMessage())) + state;
  }

  /** Where each of the five columns is in the result set, and how its value becomes text. */
  private record Columns(int[] index, boolean[] isDate) {
    static final int SUBJECT_TYPE = 0;
    static final int IDENTIFIER = 1;
    static final int CATEGORY = 2;
    static final int DATE = 3;
    static final int AREA = 4;
    static final List<String> NAMES = List.of(RecordRows.COLUMNS.split(","));

    static Columns of(ResultSetMetaData meta, String source) throws SQLException, IOException {
      Map<String, Integer> byName = new HashMap<>();
      List<String> found = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        String name = meta.getColumnLabel(i).toLowerCase(Locale.ROOT);
        found.add(name);
        byName.merge(name, i, (a, b) -> -1);
      }
      if (found.size() != NAMES.size() || !byName.keySet().containsAll(NAMES) || byName.containsValue(-1)) {
        throw new IOException(source + ": the query must return exactly the columns " + RecordRows.COLUMNS
            + " (rename with AS), found " + String.join(",", found));
      }
      int[] index = new int[NAMES.size()];
      boolean[] isDate = new boolean[NAMES.size()];
      for (int k = 0; k < NAMES.size(); k++) {
        index[k] = byName.get(NAMES.get(k));
        int type = meta.getColumnType(index[k]);
        boolean text = switch (type) {
          case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR -> true;
          default -> false;
        };
        if (k == DATE) {
          isDate[k] = type == Types.DATE;
          if (!text && !isDate[k]) {
            throw new IOException(source + ": column date must be DATE or text yyyy-MM-dd, found "
                + meta.getColumnTypeName(index[k]) + "; cast it in the query: CAST(x AS DATE) AS date");
          }
        } else if (!text) {
          throw new IOException(source + ": column " + NAMES.get(k) + " must be text, found "
              + meta.getColumnTypeName(index[k]) + "; cast it in the query: CAST(x AS VARCHAR) AS " + NAMES.get(k));
        }
      }
      return new Columns(index, isDate);
    }

    /** The column's value as text; NULL as empty, which validation reports as missing. */
    String text(ResultSet rs, int column) throws SQLException {
      if (isDate[column]) {
        LocalDate d = rs.getObject(index[column], LocalDate.class);
        return d == null ? "" : d.toString();
      }
      String s = rs.getString(index[column]);
      return s == null ? "" : s;
    }
  }
}
