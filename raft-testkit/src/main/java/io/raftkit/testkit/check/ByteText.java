package io.raftkit.testkit.check;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Bytes in a failure report: as quoted text when they read as text, else as numbers (the first 16). */
public final class ByteText {

    private ByteText() {}

    /** {@code bytes} for a report. */
    public static String of(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        for (byte b : bytes) {
            if (b < 0x20 || b > 0x7e) {
                return bytes.length <= 16 ? Arrays.toString(bytes)
                        : bytes.length + " bytes " + Arrays.toString(Arrays.copyOf(bytes, 16)) + "...";
            }
        }
        String s = new String(bytes, StandardCharsets.US_ASCII);
        return "\"" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "\"";
    }
}
