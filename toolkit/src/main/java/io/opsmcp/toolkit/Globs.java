package io.opsmcp.toolkit;

/**
 * The one glob of tool-name patterns ({@code tools.include}, {@code tools.exclude}, {@code rate_limits[].tools}):
 * {@code *} matches any run of characters (also none); every other character matches itself.
 */
public final class Globs {

    private Globs() {}

    /** Whether {@code name} matches the glob {@code pattern} ({@code *} = any run of characters, else literal). */
    public static boolean matches(String pattern, String name) {
        // Iterative glob with one backtrack point: at most quadratic in the lengths, no recursion, no regex.
        String p = pattern;
        String s = name;
        int pi = 0;
        int si = 0;
        int star = -1;
        int mark = 0;
        while (si < s.length()) {
            if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                mark = si;
            } else if (pi < p.length() && p.charAt(pi) == s.charAt(si)) {
                pi++;
                si++;
            } else if (star >= 0) {
                pi = star + 1;
                si = ++mark;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }
}
