/**
 * Keyed pseudonyms for citizen identifiers (ARCHITECTURE principle 6).
 *
 * <p>A pseudonym is HMAC-SHA256 under a secret key, never an unkeyed hash: all ~10^8 valid BSNs
 * can be hashed in seconds, so an unkeyed hash is a lookup table, not a pseudonym. The input is
 * separated by purpose ("matching" for the key shared by gateway and nodes, "audit" for the
 * gateway's log key) and by identifier form, so pseudonyms from different keys, purposes or forms
 * never collide or link.
 *
 * <p>Everything pseudonymises through {@link nl.schakel.trust.pseudonym.Pseudonymiser}, so blind
 * pseudonymisation (an OPRF, which stops a node from reversing the pseudonyms it is asked about)
 * can replace {@link nl.schakel.trust.pseudonym.HmacPseudonymiser} without touching callers.
 */
package nl.schakel.trust.pseudonym;
