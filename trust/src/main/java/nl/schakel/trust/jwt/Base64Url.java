package nl.schakel.trust.jwt;

import java.util.Base64;

/** Base64url without padding (RFC 7515 section 2), read strictly: no '=', no other alphabet. */
final class Base64Url {

  private Base64Url() {}

  /** @throws IllegalArgumentException if padded or not base64url; the input is not echoed */
  static byte[] decode(String text) {
    if (text.indexOf('=') >= 0) {
      throw new IllegalArgumentException("base64url must not be padded (RFC 7515 section 2)");
    }
    try {
      return Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not valid base64url");
    }
  }
}
