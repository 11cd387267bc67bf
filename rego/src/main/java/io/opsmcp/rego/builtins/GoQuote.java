package io.opsmcp.rego.builtins;

/** Go's {@code strconv.Quote} / {@code QuoteToASCII} / {@code QuoteRune}, for sprintf %q and error texts. */
final class GoQuote {
    private GoQuote() {}

    static String quote(String s) {
        return quote(s, '"', false);
    }

    static String quote(String s, char q, boolean asciiOnly) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append(q);
        s.codePoints().forEach(cp -> appendEscaped(sb, cp, q, asciiOnly));
        return sb.append(q).toString();
    }

    static String quoteRune(int cp, boolean asciiOnly) {
        StringBuilder sb = new StringBuilder("'");
        if (cp < 0 || cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp <= 0xDFFF)) {
            cp = 0xFFFD;
        }
        appendEscaped(sb, cp, '\'', asciiOnly);
        return sb.append('\'').toString();
    }

    /** True when Go's strconv.CanBackquote accepts the string. */
    static boolean canBackquote(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < ' ' && c != '\t') || c == '`' || c == 0x7f || c == '\uFEFF') {
                return false;
            }
        }
        return true;
    }

    private static void appendEscaped(StringBuilder sb, int cp, char q, boolean asciiOnly) {
        if (cp == q || cp == '\\') {
            sb.append('\\').appendCodePoint(cp);
            return;
        }
        if (asciiOnly ? (cp >= 0x20 && cp < 0x7f) : isPrint(cp)) {
            sb.appendCodePoint(cp);
            return;
        }
        switch (cp) {
            case 7 -> sb.append("\\a");
            case '\b' -> sb.append("\\b");
            case '\f' -> sb.append("\\f");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case 0x0b -> sb.append("\\v");
            default -> {
                if (cp < ' ' || cp == 0x7f) {
                    sb.append(String.format("\\x%02x", cp));
                } else if (cp < 0x10000) {
                    sb.append(String.format("\\u%04x", cp));
                } else {
                    sb.append(String.format("\\U%08x", cp));
                }
            }
        }
    }

    /** Approximates Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space. */
    static boolean isPrint(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.UNASSIGNED,
                    Character.CONTROL,
                    Character.FORMAT,
                    Character.PRIVATE_USE,
                    Character.SURROGATE,
                    Character.SPACE_SEPARATOR,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}
