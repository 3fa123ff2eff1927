package nl.schakel.node;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the database password of a JDBC source lives: never in {@code node.yaml} itself, which
 * operators copy, diff and paste into tickets. This names the place only; the password is read when
 * a connection is opened and is held nowhere else.
 */
public sealed interface DatabasePassword {
  /** {@code password-env: NAME}: an environment variable, as container platforms inject secrets. */
  record FromEnvironment(String variable) implements DatabasePassword {
    public FromEnvironment {
      Objects.requireNonNull(variable, "source.jdbc.password-env");
      if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException("source.jdbc.password-env must name an environment variable"
            + " ([A-Za-z_][A-Za-z0-9_]*)");
      }
    }
  }

  /** {@code password-file: PATH}: a file holding the password (trailing newline ignored), mode 0600. */
  record FromFile(Path file) implements DatabasePassword {
    public FromFile {
      Objects.requireNonNull(file, "source.jdbc.password-file");
    }
  }
}
