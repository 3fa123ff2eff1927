package nl.schakel.node;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * The JDBC drivers an operator dropped into a directory: {@code java -jar} ignores the class path,
 * so a driver for another database cannot simply be added to it. Each jar is opened in one class
 * loader whose parent is the platform loader, so a driver never sees (or clashes with) the node's
 * own libraries. Drivers are called directly rather than registered with {@code DriverManager},
 * whose registry is global and ignores drivers from foreign class loaders.
 */
final class DriverDirectory {
  private final Path dir;
  private final List<String> jars;
  private final List<Driver> drivers;

  private DriverDirectory(Path dir, List<String> jars, List<Driver> drivers) {
    this.dir = dir;
    this.jars = List.copyOf(jars);
    this.drivers = List.copyOf(drivers);
  }

  /** Loads every {@code java.sql.Driver} that the {@code *.jar} files in {@code dir} declare. */
  static DriverDirectory load(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("source.jdbc.drivers: " + dir + " is not a directory: expected a directory of JDBC driver jars");
    }
    List<Path> jarFiles;
    try (Stream<Path> files = Files.list(dir)) {
      jarFiles = files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f)).sorted().toList();
    }
    List<URL> urls = new ArrayList<>();
    for (Path jar : jarFiles) {
      try {
        urls.add(jar.toUri().toURL());
      } catch (MalformedURLException e) {
        throw new IOException("source.jdbc.drivers: cannot open " + jar + ": " + e.getMessage(), e);
      }
    }
    List<Driver> drivers = new ArrayList<>();
    if (!urls.isEmpty()) {
      // Kept open for the node's lifetime: drivers load their classes lazily, at connect time.
      var loader = new URLClassLoader("schakel-jdbc-drivers", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
      try {
        ServiceLoader.load(Driver.class, loader).forEach(drivers::add);
      } catch (ServiceConfigurationError e) {
        throw new IOException("source.jdbc.drivers: a jar in " + dir + " declares a JDBC driver that cannot be loaded: "
            + e.getMessage(), e);
      }
    }
    return new DriverDirectory(dir, jarFiles.stream().map(j -> j.getFileName().toString()).toList(), drivers);
  }

  /** The first driver here that accepts {@code url}. */
  Optional<Driver> driverFor(String url) {
    for (Driver d : drivers) {
      try {
        if (d.acceptsURL(url)) {
          return Optional.of(d);
        }
      } catch (SQLException e) {
        // A driver that cannot even judge the URL is not the one for it.
      }
    }
    return Optional.empty();
  }

  Path dir() {
    return dir;
  }

  /** What the directory holds, for an error message: the jar names, or that there are none. */
  String contents() {
    if (jars.isEmpty()) {
      return "it holds no .jar files";
    }
    return "its jars (" + String.join(", ", jars) + ") declare "
        + (drivers.isEmpty() ? "no java.sql.Driver"
            : "only " + drivers.stream().map(d -> d.getClass().getName()).distinct().toList());
  }
}
