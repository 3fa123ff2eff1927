package nl.schakel.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStreamReader;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import nl.schakel.trust.identifier.AreaCode;
import nl.schakel.trust.identifier.BagId;
import nl.schakel.trust.identifier.Bsn;
import nl.schakel.trust.identifier.Identifier;
import nl.schakel.trust.identifier.InvalidIdentifierException;
import nl.schakel.trust.identifier.KvkNumber;
import nl.schakel.trust.identifier.PostalAddress;
import nl.schakel.trust.pseudonym.Pseudonymiser;

/**
 * Reads partner records from a CSV file with the header
 * {@code subject_type,identifier,category,date,area}, validates every row and pseudonymises its
 * identifier on the way in. A bad row is counted and reported by number and reason, never
 * silently dropped and never echoed.
 */
final class CsvRecordSource {
  static final String HEADER = "subject_type,identifier,category,date,area";
  private static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");
  private static final Pattern ALL_DIGITS_16 = Pattern.compile("[0-9]{16}");
  private static final int MAX_LINE_CHARS = 1024;

  private final Path file;
  private final Pseudonymiser pseudonymiser;

  CsvRecordSource(Path file, Pseudonymiser pseudonymiser) {
    this.file = file;
    this.pseudonymiser = pseudonymiser;
  }

  /** Streams every valid record to {@code sink} and reports what was accepted and rejected. */
  IngestReport read(Consumer<SubjectRecord> sink) throws IOException {
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    long accepted = 0;
    long rejected = 0;
    List<RowRejection> first = new ArrayList<>();
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
        try {
          sink.accept(parse(line));
          accepted++;
        } catch (RowException e) {
          rejected++;
          if (first.size() < IngestReport.MAX_REPORTED_REJECTIONS) {
            first.add(new RowRejection(row, e.getMessage()));
          }
        }
      }
    } catch (CharacterCodingException e) {
      throw new IOException(file + " is not valid UTF-8", e);
    }
    return new IngestReport(accepted, rejected, first);
  }

  private SubjectRecord parse(String line) throws RowException {
    if (line.length() > MAX_LINE_CHARS) {
      throw new RowException("line longer than " + MAX_LINE_CHARS + " characters");
    }
    if (line.indexOf('"') >= 0) {
      throw new RowException("quoted fields are not supported");
    }
    String[] f = line.split(",", -1);
    if (f.length != 5) {
      throw new RowException("expected 5 fields (" + HEADER + "), found " + f.length);
    }
    Identifier id = identifier(f[0].strip(), f[1].strip());
    String category = f[2].strip();
    if (!CATEGORY.matcher(category).matches()) {
      throw new RowException("category must match " + CATEGORY.pattern());
    }
    LocalDate date;
    try {
      date = LocalDate.parse(f[3].strip());
    } catch (DateTimeParseException e) {
      throw new RowException("date must be ISO yyyy-MM-dd");
    }
    Optional<AreaCode> area = Optional.empty();
    String areaText = f[4].strip();
    if (!areaText.isEmpty()) {
      try {
        area = Optional.of(AreaCode.parse(areaText));
      } catch (InvalidIdentifierException e) {
        throw new RowException("area: " + e.getMessage());
      }
    }
    return new SubjectRecord(id.form(), pseudonymiser.pseudonymise(id), category, date, area);
  }

  private static Identifier identifier(String subjectType, String text) throws RowException {
    try {
      return switch (subjectType) {
        case "person" -> Bsn.parse(text);
        case "organisation" -> KvkNumber.parse(text);
        case "address" -> ALL_DIGITS_16.matcher(text).matches() ? BagId.parse(text) : PostalAddress.parse(text);
        default -> throw new RowException("subject_type must be person, address or organisation");
      };
    } catch (InvalidIdentifierException e) {
      throw new RowException("identifier: " + e.getMessage());
    }
  }

  private static final class RowException extends Exception {
    RowException(String message) {
      super(message, null, false, false);
    }
  }
}
