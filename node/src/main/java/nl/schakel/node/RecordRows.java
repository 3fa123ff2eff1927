package nl.schakel.node;

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
 * The one row validation every record source shares: a source hands over the five fields of each
 * row as text (a missing value as empty), this turns each valid row into a pseudonymised {@link
 * SubjectRecord} for the sink and counts the rest with their row number and reason. Reasons name
 * the field and what was expected, never the value: a rejected identifier is still an identifier.
 *
 * <p>Duplicate rows are not rejected: two identical rows are two mentions, as the partner's own
 * records say (the index keeps them apart for cell-key perturbation).
 */
final class RecordRows {
  static final String COLUMNS = "subject_type,identifier,category,date,area";
  private static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");
  private static final Pattern ALL_DIGITS_16 = Pattern.compile("[0-9]{16}");
  /** Longer than any valid field; a longer value is rejected before it is parsed. */
  static final int MAX_FIELD_CHARS = 256;

  private final Pseudonymiser pseudonymiser;
  private final Consumer<SubjectRecord> sink;
  private final List<RowRejection> first = new ArrayList<>();
  private long accepted;
  private long rejected;

  RecordRows(Pseudonymiser pseudonymiser, Consumer<SubjectRecord> sink) {
    this.pseudonymiser = pseudonymiser;
    this.sink = sink;
  }

  /** Validates one row; {@code row} is its number in the source, as the operator will look it up. */
  void accept(long row, String subjectType, String identifier, String category, String date, String area) {
    try {
      sink.accept(parse(row, subjectType, identifier, category, date, area));
      accepted++;
    } catch (RowException e) {
      reject(row, e.getMessage());
    } catch (RowAdmission.NotAdmitted e) {
      // Well formed, but outside what the node takes in (an undeclared form, an absurd date).
      reject(row, e.getMessage());
    }
  }

  /** Counts a row the source could not even split into fields. */
  void reject(long row, String reason) {
    rejected++;
    if (first.size() < IngestReport.MAX_REPORTED_REJECTIONS) {
      first.add(new RowRejection(row, reason));
    }
  }

  /** Rows seen so far, accepted or not. */
  long seen() {
    return accepted + rejected;
  }

  IngestReport report() {
    return new IngestReport(accepted, rejected, first);
  }

  private SubjectRecord parse(long row, String subjectType, String identifier, String category, String date, String area)
      throws RowException {
    Identifier id = identifier(required("subject_type", subjectType), required("identifier", identifier));
    String cat = required("category", category);
    if (!CATEGORY.matcher(cat).matches()) {
      throw new RowException("category must match " + CATEGORY.pattern());
    }
    LocalDate day;
    try {
      day = LocalDate.parse(required("date", date));
    } catch (DateTimeParseException e) {
      throw new RowException("date must be ISO yyyy-MM-dd");
    }
    Optional<AreaCode> code = Optional.empty();
    String areaText = bounded("area", area);
    if (!areaText.isEmpty()) {
      try {
        code = Optional.of(AreaCode.parse(areaText));
      } catch (InvalidIdentifierException e) {
        throw new RowException("area: " + e.getMessage());
      }
    }
    return new SubjectRecord(id.form(), pseudonymiser.pseudonymise(id), cat, day, code, row);
  }

  private static String required(String field, String value) throws RowException {
    String v = bounded(field, value);
    if (v.isEmpty()) {
      throw new RowException(field + " is missing (empty or NULL)");
    }
    return v;
  }

  private static String bounded(String field, String value) throws RowException {
    if (value.length() > MAX_FIELD_CHARS) {
      throw new RowException(field + " is longer than " + MAX_FIELD_CHARS + " characters");
    }
    return value.strip();
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
