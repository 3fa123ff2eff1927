package nl.schakel.trust.identifier;

import java.util.Optional;

/** The kinds of subject a question can be about, each with its own pseudonym domain. */
public enum IdentifierForm {
  BSN("bsn"),
  BAG_ID("bag-id"),
  POSTAL_ADDRESS("postal-address"),
  KVK("kvk");

  private final String domain;

  IdentifierForm(String domain) {
    this.domain = domain;
  }

  /**
   * The stable label that separates this form's pseudonyms from every other form's, so that a
   * KvK number and a BAG id fragment with the same digits never share a pseudonym. Part of the
   * pseudonym definition: changing it changes every pseudonym.
   */
  public String domain() {
    return domain;
  }

  /** The form whose {@link #domain()} is exactly {@code domain}, if any. */
  public static Optional<IdentifierForm> fromDomain(String domain) {
    for (IdentifierForm form : values()) {
      if (form.domain.equals(domain)) {
        return Optional.of(form);
      }
    }
    return Optional.empty();
  }
}
