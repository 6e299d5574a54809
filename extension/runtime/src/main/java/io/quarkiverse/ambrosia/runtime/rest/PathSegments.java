package io.quarkiverse.ambrosia.runtime.rest;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encodes a value as one URI path segment, so that it reads back as it is: every character but the unreserved
 * ones of RFC 3986 is encoded, including {@code /}, {@code ?}, {@code #} and {@code %} (which {@code UriBuilder.path}
 * would keep, reading {@code %41} as an {@code A} already encoded), and dots, so that a value of {@code .} or
 * {@code ..} is not taken for a relative path.
 */
final class PathSegments {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PathSegments() {
    }

    static String encode(String value) {
        StringBuilder encoded = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '~') {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return encoded.toString();
    }
}
