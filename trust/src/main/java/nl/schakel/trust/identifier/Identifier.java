package nl.schakel.trust.identifier;

import java.util.Objects;

/**
 * A validated identifier of a person, address or company: personal data that is pseudonymised on
 * entry. Implementations redact their value in {@code toString()}.
 */
public sealed interface Identifier permits Bsn, BagId, PostalAddress, KvkNumber {

  IdentifierForm form();

  /**
   * The exact normalised text that is pseudonymised. Two inputs denoting the same subject yield
   * the same canonical text; it never contains NUL (the pseudonym input separator).
   */
  String canonical();

  /**
   * Parses {@code text} as the given form; postal addresses use the compact form accepted by
   * {@link PostalAddress#parse(String)}.
   *
   * @throws InvalidIdentifierException if the text is not a valid identifier of that form
   */
  static Identifier parse(IdentifierForm form, String text) {
    Objects.requireNonNull(form, "form");
    return switch (form) {
      case BSN -> Bsn.parse(text);
      case BAG_ID -> BagId.parse(text);
      case POSTAL_ADDRESS -> PostalAddress.parse(text);
      case KVK -> KvkNumber.parse(text);
    };
  }
}
