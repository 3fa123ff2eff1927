package nl.schakel.trust.pseudonym;

import nl.schakel.trust.identifier.Identifier;

/**
 * Turns a validated identifier into its pseudonym. Implementations are deterministic for a given
 * key and purpose, and thread-safe.
 */
public interface Pseudonymiser {

  Pseudonym pseudonymise(Identifier id);
}
