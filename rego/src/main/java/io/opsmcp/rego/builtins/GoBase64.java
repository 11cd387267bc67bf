package io.opsmcp.rego.builtins;

import java.io.ByteArrayOutputStream;

/**
 * Base64 decoding with the acceptance rules and error text of Go's {@code encoding/base64}
 * ({@code StdEncoding} / {@code URLEncoding}, padded): CR and LF are skipped, trailing bits are not
 * checked, and a failure reads {@code illegal base64 data at input byte N} with N the offset of the
 * offending character, as OPA's built-ins report it. The JDK decoders accept and reject different
 * inputs and report no offset, hence this class.
 */
final class GoBase64 {
    private GoBase64() {}

    /** Go's {@code base64.StdEncoding.DecodeString}. @throws BuiltinError on malformed input */
    static byte[] decodeStd(String s) {
        return decode(s, false);
    }

    /**
     * OPA's {@code base64url.decode}: adds the padding RFC 7515 appendix C drops, then Go's
     * {@code base64.URLEncoding.DecodeString}. @throws BuiltinError on malformed input
     */
    static byte[] decodeUrlLenient(String s) {
        if (!s.endsWith("=")) {
            switch (s.length() % 4) {
                case 0 -> {}
                case 2 -> s += "==";
                case 3 -> s += "=";
                default -> throw new BuiltinError("illegal base64url string: " + s);
            }
        }
        return decode(s, true);
    }

    /** True when Go's StdEncoding accepts {@code s}. */
    static boolean isStd(String s) {
        try {
            decode(s, false);
            return true;
        } catch (BuiltinError e) {
            return false;
        }
    }

    private static int value(char c, boolean url) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == (url ? '-' : '+')) {
            return 62;
        }
        if (c == (url ? '_' : '/')) {
            return 63;
        }
        return -1;
    }

    private static BuiltinError corrupt(int offset) {
        return new BuiltinError("illegal base64 data at input byte " + offset);
    }

    private static boolean newline(char c) {
        return c == '\r' || c == '\n';
    }

    /** The quantum loop of Go's {@code decodeQuantum}, one 4-character group at a time. */
    private static byte[] decode(String src, boolean url) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(src.length() * 3 / 4 + 3);
        int si = 0;
        int n = src.length();
        while (true) {
            int[] q = new int[4];
            int j = 0;
            boolean padded = false;
            while (j < 4) {
                if (si == n) {
                    if (j == 0) {
                        return out.toByteArray();
                    }
                    throw corrupt(si - j);
                }
                char c = src.charAt(si++);
                if (newline(c)) {
                    continue;
                }
                int v = value(c, url);
                if (v >= 0) {
                    q[j++] = v;
                    continue;
                }
                if (c != '=') {
                    throw corrupt(si - 1);
                }
                // Padding: only at the third or fourth position of a group, and nothing may follow it.
                if (j < 2) {
                    throw corrupt(si - 1);
                }
                if (j == 2) {
                    while (si < n && newline(src.charAt(si))) {
                        si++;
                    }
                    if (si == n) {
                        throw corrupt(n);
                    }
                    if (src.charAt(si) != '=') {
                        throw corrupt(si - 1);
                    }
                    si++;
                }
                while (si < n && newline(src.charAt(si))) {
                    si++;
                }
                if (si < n) {
                    throw corrupt(si);
                }
                padded = true;
                break;
            }
            int bits = (q[0] << 18) | (q[1] << 12) | (q[2] << 6) | q[3];
            out.write(bits >>> 16);
            if (j > 2) {
                out.write((bits >>> 8) & 0xff);
            }
            if (j > 3) {
                out.write(bits & 0xff);
            }
            if (padded) {
                return out.toByteArray();
            }
        }
    }
}
