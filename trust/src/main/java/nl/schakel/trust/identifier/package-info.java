/**
 * Citizen identifiers validated at the edge: BSN (elfproef), KvK number, BAG id and postal
 * address, plus CBS area codes.
 *
 * <p>Every hostile string enters the system through one of the {@code parse}/{@code of} methods
 * here and leaves as a typed value whose {@link nl.schakel.trust.identifier.Identifier#canonical()}
 * text is the exact input to pseudonymisation. Two spellings of the same subject must yield the
 * same canonical text, or a node would answer no-hit for a subject it knows.
 *
 * <p>Identifiers are personal data (AVG art. 4; the BSN is regulated by the Wabb): no
 * {@code toString()} and no exception message here ever contains the value, so an accidental log
 * line cannot leak one. Area codes are statistical units, not personal data, and print freely.
 */
package nl.schakel.trust.identifier;
