package nl.schakel.covenant;

/**
 * Why a responder may not be asked, in the order the checks run (COVENANT.md "Pure decision"):
 * the first failing check is the reason.
 */
public enum DenyReason {
  NOT_A_PARTY("not-a-party"),
  COVENANT_NOT_IN_FORCE("covenant-not-in-force"),
  PURPOSE_UNKNOWN("purpose-unknown"),
  CASE_REFERENCE_MISSING("case-reference-missing"),
  CASE_REFERENCE_INVALID("case-reference-invalid"),
  REFUSED("refused"),
  SECRECY("secrecy"),
  NO_RULE("no-rule"),
  CATEGORY_NOT_ALLOWED("category-not-allowed"),
  AREA_LEVEL_NOT_ALLOWED("area-level-not-allowed"),
  /**
   * Decided by the node alone (it does not index that form of address or identifier); the pure
   * {@link Evaluator} never returns it, but it is part of the same vocabulary.
   */
  IDENTIFIER_FORM_UNSUPPORTED("identifier-form-unsupported");

  private final String code;

  DenyReason(String code) {
    this.code = code;
  }

  /** The stable code used in the API, logs and answers, e.g. {@code "not-a-party"}. */
  public String code() {
    return code;
  }
}
