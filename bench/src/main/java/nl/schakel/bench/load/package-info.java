/**
 * The load generator behind {@code schakel bench}: an open-loop driver over real HTTP
 * ({@link nl.schakel.bench.load.LoadDriver}), the unsecured baseline it is compared with
 * ({@link nl.schakel.bench.load.Baseline}), the crypto-bound ceiling
 * ({@link nl.schakel.bench.load.CryptoCeiling}), and the report as JSON, Markdown and PNG plots
 * ({@link nl.schakel.bench.load.Report}, {@link nl.schakel.bench.load.ReportFiles},
 * {@link nl.schakel.bench.load.Plots}). Starting the real federation is the CLI's job: bench
 * does not depend on cli.
 */
package nl.schakel.bench.load;
