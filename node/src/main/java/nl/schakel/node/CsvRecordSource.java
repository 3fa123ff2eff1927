package nl.schakel.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import nl.schakel.trust.pseudonym.Pseudonymiser;

/**
 * Reads partner records from a CSV file with the header
 * {@code subject_type,identifier,category,date,area}, validates every row and pseudonymises its
 * identifier on the way in. A bad row is counted and reported by number and reason, never
 * silently dropped and never echoed. Row numbers are line numbers: the header is row 1.
 */
final class CsvRecordSource implements RecordSource {
  static final String HEADER = RecordRows.COLUMNS;
  private static final int MAX_LINE_CHARS = 1024;

  private final Path file;
  private final Pseudonymiser pseudonymiser;

  CsvRecordSource(Path file, Pseudonymiser pseudonymiser) {
    this.file = file;
    this.pseudonymiser = pseudonymiser;
  }

  @Override
  public IngestReport read(Consumer<SubjectRecord> sink) throws IOException {
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    RecordRows rows = new RecordRows(pseudonymiser, sink);
    try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
      String header = in.readLine();
      if (header == null) {
        throw new IOException(file + " is empty: expected the header '" + HEADER + "'");
      }
      if (header.startsWith("\uFEFF")) {
        header = header.substring(1);
      }
      if (!header.strip().equals(HEADER)) {
        throw new IOException(file + ": first line must be the header '" + HEADER + "'");
      }
      long row = 1;
      String line;
      while ((line = in.readLine()) != null) {
        row++;
        if (line.isBlank()) {
          continue;
        }
        if (line.length() > MAX_LINE_CHARS) {
          rows.reject(row, "line longer than " + MAX_LINE_CHARS + " characters");
          continue;
        }
        if (line.indexOf('"') >= 0) {
          rows.reject(row, "quoted fields are not supported");
          continue;
        }
        String[] f = line.split(",", -1);
        if (f.length != 5) {
          rows.reject(row, "expected 5 fields (" + HEADER + "), found " + f.length);
          continue;
        }
        rows.accept(row, f[0], f[1], f[2], f[3], f[4]);
      }
    } catch (CharacterCodingException e) {
      throw new IOException(file + " is not valid UTF-8", e);
    }
    return rows.report();
  }

  @Override
  public String describe() {
    return file.getFileName().toString();
  }
}
