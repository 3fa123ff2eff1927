package nl.schakel.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The SQL of one {@link PostgresAuditLog}: table names derived from the log's name, the idempotent
 * DDL, and the advisory lock key every replica of that log serialises its batches on.
 *
 * <p>Two tables, {@code <name>_entries(idx, entry)} with each entry verbatim at its index, and
 * {@code <name>_checkpoints(tree_size, root_hash, note)} with the root after every batch and, when
 * the writer signs, the signed checkpoint of that tree. The entries alone rebuild the log; the
 * checkpoints let opening and catching up check that nobody changed them.
 */
final class PgTables {

  // A plain identifier, so names are interpolated into SQL without quoting games; 63 bytes is
  // PostgreSQL's identifier limit, minus the longest suffix.
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,49}");

  final String name;
  final String entries;
  final String checkpoints;
  final long advisoryLockKey;

  private PgTables(String name) {
    this.name = name;
    this.entries = name + "_entries";
    this.checkpoints = name + "_checkpoints";
    this.advisoryLockKey = lockKey(name);
  }

  /** Requires a lower-case SQL identifier of at most 50 characters. */
  static PgTables of(String name) {
    requireName(name);
    return new PgTables(name);
  }

  static void requireName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "audit log name must be a lower-case SQL identifier ([a-z_][a-z0-9_]*, at most 50"
              + " characters), found '"
              + name
              + "'");
    }
  }

  List<String> ddl() {
    return List.of(
        "CREATE TABLE IF NOT EXISTS "
            + entries
            + " (idx bigint PRIMARY KEY CHECK (idx >= 0), entry bytea NOT NULL)",
        "CREATE TABLE IF NOT EXISTS "
            + checkpoints
            + " (tree_size bigint PRIMARY KEY CHECK (tree_size > 0),"
            + " root_hash bytea NOT NULL CHECK (length(root_hash) = 32), note text)");
  }

  String lock() {
    return "SELECT pg_advisory_xact_lock(?)";
  }

  String entriesFrom() {
    return "SELECT idx, entry FROM " + entries + " WHERE idx >= ? ORDER BY idx";
  }

  String entryAt() {
    return "SELECT entry FROM " + entries + " WHERE idx = ?";
  }

  String insertEntry() {
    return "INSERT INTO " + entries + " (idx, entry) VALUES (?, ?)";
  }

  String insertCheckpoint() {
    // Signatures are deterministic (Ed25519), so the same tree signed twice is the same note.
    return "INSERT INTO "
        + checkpoints
        + " (tree_size, root_hash, note) VALUES (?, ?, ?) ON CONFLICT (tree_size) DO NOTHING";
  }

  String checkpointAt() {
    return "SELECT root_hash, note FROM " + checkpoints + " WHERE tree_size = ?";
  }

  String newestCheckpoint() {
    return "SELECT tree_size, root_hash, note FROM "
        + checkpoints
        + " ORDER BY tree_size DESC LIMIT 1";
  }

  String allCheckpointRoots() {
    return "SELECT tree_size, root_hash FROM " + checkpoints + " ORDER BY tree_size";
  }

  // The first 8 bytes of a domain-separated SHA-256 of the name: the same for every replica of
  // this log, and unlikely to collide with another application's advisory locks.
  private static long lockKey(String name) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] digest =
          sha256.digest(("nl.schakel.audit.PostgresAuditLog\0" + name).getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 missing from this JDK", e);
    }
  }
}
