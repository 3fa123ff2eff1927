package nl.schakel.trust.identifier;

import static org.assertj.core.api.Assertions.assertThat;

/** Asserts that an error message does not echo the rejected input, not even in part. */
final class NoLeak {

  private static final int LONGEST_ALLOWED_ECHO = 3;

  private NoLeak() {}

  static void assertMessageHidesInput(Throwable error, String input) {
    String message = error.getMessage();
    assertThat(message).isNotBlank();
    for (int i = 0; i + LONGEST_ALLOWED_ECHO < input.length(); i++) {
      String fragment = input.substring(i, i + LONGEST_ALLOWED_ECHO + 1);
      if (!fragment.isBlank()) {
        assertThat(message)
            .as("message must not contain a fragment of the rejected input")
            .doesNotContain(fragment);
      }
    }
  }
}
