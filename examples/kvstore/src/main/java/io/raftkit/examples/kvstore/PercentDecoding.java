package io.raftkit.examples.kvstore;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Decodes {@code %XX} escapes of a URI path segment or query component into raw bytes, so keys and
 * expected values can be any byte string (not only valid UTF-8).
 */
final class PercentDecoding {

    private PercentDecoding() {}

    /**
     * @param plusIsSpace true for query components (form encoding), false for path segments
     * @throws IllegalArgumentException on a truncated or non-hex escape
     */
    static byte[] decode(String text, boolean plusIsSpace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw new IllegalArgumentException("truncated %-escape at position " + i);
                }
                int hi = Character.digit(text.charAt(i + 1), 16);
                int lo = Character.digit(text.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad %-escape '" + text.substring(i, i + 3) + "'");
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else if (c < 0x100) {
                // The HTTP codec reads the request line byte by byte (ISO-8859-1), so a client that sent
                // raw UTF-8 gets its bytes back unchanged here.
                out.write(c);
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }
}
