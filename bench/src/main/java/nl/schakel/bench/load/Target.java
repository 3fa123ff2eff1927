package nl.schakel.bench.load;

import java.net.URI;
import java.util.Objects;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Where questions go and what they say.
 *
 * @param queries the {@code POST /v1/queries} URI
 * @param bearer the analyst token to send now; asked per question, so it can be renewed before
 *     its five minutes run out. An empty string sends no Authorization header.
 * @param body the JSON body of question number {@code i} (0-based, in send order)
 */
public record Target(URI queries, Supplier<String> bearer, LongFunction<String> body) {
  public Target {
    Objects.requireNonNull(queries, "queries");
    Objects.requireNonNull(bearer, "bearer");
    Objects.requireNonNull(body, "body");
  }
}
