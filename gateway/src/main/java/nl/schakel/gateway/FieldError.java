package nl.schakel.gateway;

/**
 * One reason a request was invalid: the JSON field (as a path like {@code subject.bsn}) and what
 * was expected. Never the value: it may be a citizen identifier.
 */
record FieldError(String field, String message) {}
