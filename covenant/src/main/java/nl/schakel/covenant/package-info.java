/**
 * The convenant as code: the {@code schakel/covenant/v1} YAML format read by {@link
 * nl.schakel.covenant.CovenantParser} into an immutable {@link nl.schakel.covenant.Covenant}, its
 * canonical hash (what every party signs), and the pure {@link nl.schakel.covenant.Evaluator} that
 * gateway and nodes both use to decide a question. The format, the validation rules and the hash
 * projection are specified field by field in this module's README.md.
 */
package nl.schakel.covenant;
