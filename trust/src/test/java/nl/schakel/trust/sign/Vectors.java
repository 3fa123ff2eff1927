package nl.schakel.trust.sign;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** The published test vectors beside these tests, read from their data files. */
final class Vectors {
  private static final HexFormat HEX = HexFormat.of();

  private Vectors() {}

  /** RFC 8032 section 7.1. */
  record Ed25519Vector(String name, byte[] seed, byte[] publicKey, byte[] message, byte[] signature) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** DSSE protocol.md and testvectors/vectors.json; signature by RFC 8032 TEST 1's key. */
  record DsseVector(String name, String payloadType, byte[] payload, byte[] pae, byte[] signature) {
    boolean hasSignature() {
      return signature.length > 0;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static List<Ed25519Vector> rfc8032() {
    return lines("rfc8032-ed25519.txt")
        .map(f -> new Ed25519Vector(
            f[0], HEX.parseHex(f[1]), HEX.parseHex(f[2]), f[3].equals("-") ? new byte[0] : HEX.parseHex(f[3]),
            HEX.parseHex(f[4])))
        .toList();
  }

  static Ed25519Vector rfc8032Test1() {
    return rfc8032().get(0);
  }

  static List<DsseVector> dsse() {
    Base64.Decoder b64 = Base64.getDecoder();
    return lines("dsse-v1.txt")
        .map(f -> new DsseVector(
            f[0],
            percentDecoded(f[1]),
            f[2].equals("-") ? new byte[0] : b64.decode(f[2]),
            HEX.parseHex(f[3]),
            f[4].equals("-") ? new byte[0] : b64.decode(f[4])))
        .toList();
  }

  /** RFC 3986 percent-decoding only: unlike URLDecoder, a '+' stays a '+'. */
  private static String percentDecoded(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static Stream<String[]> lines(String resource) {
    try (InputStream in = Vectors.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      List<String[]> rows = text.lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .map(l -> l.split(" "))
          .toList();
      rows.forEach(r -> {
        if (r.length != 5) {
          throw new IllegalStateException(resource + ": expected 5 fields, found " + Arrays.toString(r));
        }
      });
      return rows.stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
