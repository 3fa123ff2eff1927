/**
 * Schakel's verifiable audit log: an append-only Merkle log with RFC 9162 (Certificate
 * Transparency 2.0) hashing, durable storage with group commit, and an independent proof
 * verifier.
 *
 * <p>What it guarantees:
 *
 * <ul>
 *   <li><b>Durable before acknowledged.</b> {@link nl.schakel.audit.AuditLog#append} completes only
 *       after an fsync covering the entry. A crash at any moment loses no acknowledged entry;
 *       recovery on {@link nl.schakel.audit.FileAuditLog#open} cuts off only the torn tail of
 *       the newest segment, which by construction holds no acknowledged entry.
 *   <li><b>Fail-closed.</b> After any write or fsync failure the log accepts nothing more and
 *       {@link nl.schakel.audit.AuditLog#writable()} turns false, so the gateway asks no node and
 *       answers 503 (ARCHITECTURE principle 5). A failed append may still be found after
 *       recovery: the log may hold an intent that was never acted upon, never the reverse.
 *   <li><b>Only durable data is visible.</b> Size, entries, roots and proofs cover acknowledged
 *       entries only.
 *   <li><b>Exact bytes.</b> {@link nl.schakel.audit.AuditLog#entry} returns the appended bytes,
 *       re-checked against their CRC32C on every read.
 *   <li><b>One writer.</b> A directory is locked by the process that opened it.
 *   <li><b>Verifiable.</b> Roots and proofs follow RFC 9162 section 2.1 exactly, checked against
 *       the published CT test vectors; {@link nl.schakel.audit.ProofVerifier} shares nothing with
 *       the writer but {@link nl.schakel.audit.MerkleHash}.
 * </ul>
 *
 * <p>What it does not do (yet): signed checkpoints, tiles, storage in PostgreSQL, and bounded
 * memory. The tree keeps 32 bytes per leaf in memory (plus about 7% for stored interior levels)
 * and 8 bytes per entry of file offsets, and open re-reads every segment. Entries are opaque
 * here: callers must put only pseudonyms in them, never a citizen identifier (principle 6).
 */
package nl.schakel.audit;
