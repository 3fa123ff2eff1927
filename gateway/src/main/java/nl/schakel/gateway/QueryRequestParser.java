package nl.schakel.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import nl.schakel.covenant.SubjectType;
import nl.schakel.trust.identifier.AreaCode;
import nl.schakel.trust.identifier.BagId;
import nl.schakel.trust.identifier.Bsn;
import nl.schakel.trust.identifier.Identifier;
import nl.schakel.trust.identifier.InvalidIdentifierException;
import nl.schakel.trust.identifier.KvkNumber;
import nl.schakel.trust.identifier.PostalAddress;

/**
 * Validates the body of {@code POST /v1/queries} (and {@code :explain}) into a {@link QueryRequest}.
 * Every input is hostile until validated (principle 7): unknown fields, wrong types, duplicate keys
 * and malformed identifiers are all reported per field, and no message ever repeats a value.
 */
final class QueryRequestParser {
  static final Pattern PURPOSE = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  static final Pattern PARTY = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");
  static final Pattern COVENANT = Pattern.compile("[a-z0-9-]{3,64}");
  /** Printable ASCII only: a case reference is a file number, not free text. */
  static final Pattern CASE_REFERENCE = Pattern.compile("[\\x21-\\x7E]{1,128}");
  static final int MAX_LIST = 64;

  private static final Set<String> FIELDS = Set.of("purpose", "caseReference", "subject", "categories", "responders", "covenant");
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  static {
    JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build());
  }

  /** Returns the request, or throws {@link InvalidRequestException} listing every invalid field. */
  QueryRequest parse(String body, boolean subjectValueOptional) throws InvalidRequestException {
    JsonNode root = readObject(body);
    List<FieldError> errors = new ArrayList<>();
    unknownFields(root, FIELDS, "", errors);
    String purpose = requiredText(root, "purpose", PURPOSE, errors);
    Optional<String> caseReference = optionalText(root, "caseReference", CASE_REFERENCE, errors);
    QuerySubject subject = subject(root.get("subject"), subjectValueOptional, errors);
    List<String> categories = textList(root, "categories", CATEGORY, errors);
    List<String> responders = textList(root, "responders", PARTY, errors);
    if (root.has("responders") && responders.isEmpty() && root.get("responders").isArray()) {
      errors.add(new FieldError("responders", "must name at least one party when present; leave it out to ask every party"));
    }
    Optional<String> covenant = optionalText(root, "covenant", COVENANT, errors);
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    return new QueryRequest(purpose, caseReference, subject, categories, responders, covenant);
  }

  /** The body as a JSON object, or {@link InvalidRequestException} saying where it is not one. */
  private static JsonNode readObject(String body) throws InvalidRequestException {
    if (body == null || body.isBlank()) {
      throw new InvalidRequestException(List.of(new FieldError("body", "is empty: send a JSON object")));
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      // Jackson's own message quotes the input; say only where it went wrong.
      var loc = e.getLocation();
      String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      throw new InvalidRequestException(List.of(new FieldError("body", "is not valid JSON" + where
          + (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field") ? " (duplicate field)" : ""))));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidRequestException(List.of(new FieldError("body", "must be a JSON object")));
    }
    return root;
  }

  private static final Set<String> SEARCH_FIELDS = Set.of("subject", "purpose", "analyst", "caseReference", "from", "to");
  /** An analyst as tokens name them ({@code sub}): up to 128 characters, no control characters. */
  static final Pattern ANALYST = Pattern.compile("[^\\p{Cntrl}]{1,128}");

  /**
   * Validates the body of {@code POST /v1/audit/search}: every criterion optional, the subject in
   * the shapes of a question (and validated like one), {@code from}/{@code to} ISO-8601 instants.
   */
  AuditSearch parseSearch(String body) throws InvalidRequestException {
    JsonNode root = readObject(body);
    List<FieldError> errors = new ArrayList<>();
    unknownFields(root, SEARCH_FIELDS, "", errors);
    Optional<QuerySubject> subject = root.hasNonNull("subject")
        ? Optional.ofNullable(subject(root.get("subject"), false, errors)) : Optional.empty();
    Optional<String> purpose = optionalText(root, "purpose", PURPOSE, errors);
    Optional<String> analyst = optionalText(root, "analyst", ANALYST, errors);
    Optional<String> caseReference = optionalText(root, "caseReference", CASE_REFERENCE, errors);
    Optional<Instant> from = instant(root, "from", errors);
    Optional<Instant> to = instant(root, "to", errors);
    if (from.isPresent() && to.isPresent() && from.get().isAfter(to.get())) {
      errors.add(new FieldError("to", "must not be before from"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    return new AuditSearch(subject, purpose, analyst, caseReference, from, to);
  }

  private static Optional<Instant> instant(JsonNode root, String field, List<FieldError> errors) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!isText(value, field, errors)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value.asText()));
    } catch (DateTimeParseException e) {
      errors.add(new FieldError(field, "must be an ISO-8601 instant like 2026-11-29T10:00:00Z"));
      return Optional.empty();
    }
  }

  private static QuerySubject subject(JsonNode node, boolean valueOptional, List<FieldError> errors) {
    if (node == null || node.isNull()) {
      errors.add(new FieldError("subject", "is required"));
      return null;
    }
    if (!node.isObject()) {
      errors.add(new FieldError("subject", "must be an object like {\"type\": \"person\", \"bsn\": \"...\"}"));
      return null;
    }
    JsonNode typeNode = node.get("type");
    if (typeNode == null || !typeNode.isTextual()) {
      errors.add(new FieldError("subject.type", "is required: person, address, organisation or area"));
      return null;
    }
    String type = typeNode.asText();
    return switch (type) {
      case "person" -> {
        unknownFields(node, Set.of("type", "bsn"), "subject.", errors);
        yield identified(node, "bsn", SubjectType.PERSON, Bsn::parse, valueOptional, errors);
      }
      case "organisation" -> {
        unknownFields(node, Set.of("type", "kvk"), "subject.", errors);
        yield identified(node, "kvk", SubjectType.ORGANISATION, KvkNumber::parse, valueOptional, errors);
      }
      case "address" -> address(node, valueOptional, errors);
      case "area" -> {
        unknownFields(node, Set.of("type", "code"), "subject.", errors);
        JsonNode code = node.get("code");
        if (!isText(code, "subject.code", errors)) {
          yield null;
        }
        try {
          yield new QuerySubject.Area(AreaCode.parse(code.asText()));
        } catch (InvalidIdentifierException e) {
          errors.add(new FieldError("subject.code", e.getMessage()));
          yield null;
        }
      }
      default -> {
        errors.add(new FieldError("subject.type", "must be person, address, organisation or area"));
        yield null;
      }
    };
  }

  private static QuerySubject address(JsonNode node, boolean valueOptional, List<FieldError> errors) {
    unknownFields(node, Set.of("type", "bagId", "postcode", "houseNumber", "houseLetter", "addition"), "subject.", errors);
    boolean byBag = node.has("bagId");
    boolean byPostcode = node.has("postcode") || node.has("houseNumber") || node.has("houseLetter") || node.has("addition");
    if (byBag && byPostcode) {
      errors.add(new FieldError("subject", "give either bagId or postcode + houseNumber, not both"));
      return null;
    }
    if (byBag || (!byPostcode && !valueOptional)) {
      return identified(node, "bagId", SubjectType.ADDRESS, BagId::parse, valueOptional, errors);
    }
    if (!byPostcode) {
      return null;
    }
    JsonNode postcode = node.get("postcode");
    JsonNode number = node.get("houseNumber");
    boolean ok = isText(postcode, "subject.postcode", errors);
    if (number == null || number.isNull()) {
      errors.add(new FieldError("subject.houseNumber", "is required with a postcode"));
      ok = false;
    } else if (!number.isIntegralNumber() || !number.canConvertToInt()) {
      errors.add(new FieldError("subject.houseNumber", "must be an integer 1-99999"));
      ok = false;
    }
    String letter = "";
    String addition = "";
    if (node.has("houseLetter")) {
      ok &= isText(node.get("houseLetter"), "subject.houseLetter", errors);
      letter = node.get("houseLetter").asText();
    }
    if (node.has("addition")) {
      ok &= isText(node.get("addition"), "subject.addition", errors);
      addition = node.get("addition").asText();
    }
    if (!ok) {
      return null;
    }
    try {
      return new QuerySubject.Identified(SubjectType.ADDRESS,
          PostalAddress.of(postcode.asText(), number.intValue(), letter, addition));
    } catch (InvalidIdentifierException e) {
      errors.add(new FieldError("subject", e.getMessage()));
      return null;
    }
  }

  private static QuerySubject identified(JsonNode node, String field, SubjectType type,
      Function<String, Identifier> parse, boolean valueOptional, List<FieldError> errors) {
    JsonNode value = node.get(field);
    if ((value == null || value.isNull()) && valueOptional) {
      return null;
    }
    if (!isText(value, "subject." + field, errors)) {
      return null;
    }
    try {
      return new QuerySubject.Identified(type, parse.apply(value.asText()));
    } catch (InvalidIdentifierException e) {
      errors.add(new FieldError("subject." + field, e.getMessage()));
      return null;
    }
  }

  private static void unknownFields(JsonNode node, Set<String> known, String prefix, List<FieldError> errors) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        // The name is attacker-chosen too: only echo it when it looks like a field name.
        String shown = name.matches("[A-Za-z][A-Za-z0-9]{0,31}") ? prefix + name : prefix + "(unprintable name)";
        errors.add(new FieldError(shown, "unknown field; expected one of " + known.stream().sorted().toList()));
      }
    }
  }

  private static boolean isText(JsonNode value, String field, List<FieldError> errors) {
    if (value == null || value.isNull()) {
      errors.add(new FieldError(field, "is required"));
      return false;
    }
    if (!value.isTextual()) {
      errors.add(new FieldError(field, "must be a string, found " + value.getNodeType().name().toLowerCase()));
      return false;
    }
    return true;
  }

  private static String requiredText(JsonNode root, String field, Pattern pattern, List<FieldError> errors) {
    JsonNode value = root.get(field);
    if (!isText(value, field, errors)) {
      return null;
    }
    if (!pattern.matcher(value.asText()).matches()) {
      errors.add(new FieldError(field, "must match " + pattern.pattern()));
      return null;
    }
    return value.asText();
  }

  private static Optional<String> optionalText(JsonNode root, String field, Pattern pattern, List<FieldError> errors) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    return Optional.ofNullable(requiredText(root, field, pattern, errors));
  }

  private static List<String> textList(JsonNode root, String field, Pattern pattern, List<FieldError> errors) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      errors.add(new FieldError(field, "must be an array of strings"));
      return List.of();
    }
    if (value.size() > MAX_LIST) {
      errors.add(new FieldError(field, "may name at most " + MAX_LIST + " entries, found " + value.size()));
      return List.of();
    }
    List<String> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      String where = field + "[" + i + "]";
      if (!item.isTextual()) {
        errors.add(new FieldError(where, "must be a string"));
      } else if (!pattern.matcher(item.asText()).matches()) {
        errors.add(new FieldError(where, "must match " + pattern.pattern()));
      } else if (!seen.add(item.asText())) {
        errors.add(new FieldError(where, "is a duplicate"));
      } else {
        out.add(item.asText());
      }
    }
    return out;
  }
}
