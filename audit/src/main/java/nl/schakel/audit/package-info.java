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
 * <p>Formats shared with the outside world (see README.md in this module for examples):
 *
 * <ul>
 *   <li><b>Checkpoints</b> (c2sp.org/tlog-checkpoint): {@code <origin>\n<tree size>\n<base64
 *       root>\n}, signed as a C2SP signed note (c2sp.org/signed-note) by {@link
 *       nl.schakel.audit.CheckpointSigner} and checked by {@link
 *       nl.schakel.audit.CheckpointVerifier}. With a signer in {@link
 *       nl.schakel.audit.FileAuditLog.Options}, one checkpoint is signed per group commit and
 *       every {@link nl.schakel.audit.AppendResult} carries one that covers its entry; {@link
 *       nl.schakel.audit.Receipt} bundles it with the inclusion proof.
 *   <li><b>Verifier keys</b>: {@code <name>+<hex key hash>+<base64(0x01 || Ed25519 key)>}, the
 *       name being the origin; see {@link nl.schakel.audit.NoteKey}.
 *   <li><b>Tiles</b> (c2sp.org/tlog-tiles): {@link nl.schakel.audit.Tiles} cuts and names them.
 * </ul>
 *
 * <p>Auditors use {@link nl.schakel.audit.LogAudit} (and {@code schakel audit verify}): it reads a
 * directory with {@link nl.schakel.audit.LogReader}, without the lock and without writing, and
 * checks saved checkpoints against the rebuilt tree.
 *
 * <p>What it does not do (yet): serving tiles over HTTP (the gateway's job), persisting
 * checkpoints, witnesses' cosignatures, storage in PostgreSQL, and bounded memory. The tree keeps 32 bytes per leaf in memory (plus about 7% for stored interior levels)
 * and 8 bytes per entry of file offsets, and open re-reads every segment. Entries are opaque
 * here: callers must put only pseudonyms in them, never a citizen identifier (principle 6).
 */
package nl.schakel.audit;
