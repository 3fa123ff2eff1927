/**
 * Writing key files safely: owner-only permissions from the first byte, never overwriting an
 * existing key. Kept in one place so every key the federation stores (pseudonym keys, issuer
 * keys, signing keys) is written the same way.
 */
package nl.schakel.trust.io;
