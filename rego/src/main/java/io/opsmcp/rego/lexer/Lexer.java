package io.opsmcp.rego.lexer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Splits Rego source into tokens (after OPA's {@code ast/internal/scanner}). Comments are dropped;
 * line breaks are recorded on the following token rather than emitted. A template string
 * {@code $"a{x}b"} becomes TEMPLATE_START, TEMPLATE_PART("a"), the tokens of {@code x}, TEMPLATE_END("b"): the
 * {@code }} closing an expression is consumed here (braces inside it are counted), so the
 * parser sees where each literal part resumes.
 */
public final class Lexer {
    private final String src;
    private int pos;
    private int row = 1;
    private int lineStart;
    // open template-string expressions, innermost first: {1 if raw else 0, depth of nested braces}
    private final Deque<int[]> templates = new ArrayDeque<>();

    private Lexer(String src) {
        this.src = src;
    }

    /** Tokenizes the whole source; the last token is EOF. @throws LexException on bad input */
    public static List<Token> tokenize(String src) {
        return new Lexer(src).run();
    }

    private List<Token> run() {
        List<Token> out = new ArrayList<>();
        while (true) {
            boolean nl = skipSpace();
            int startRow = row;
            int startCol = pos - lineStart + 1;
            int start = pos;
            if (pos >= src.length()) {
                out.add(new Token(TokenType.EOF, "", startRow, startCol, start, start, true));
                return out;
            }
            char c = src.charAt(pos);
            if (Character.isLetter(c) || c == '_') {
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                    pos++;
                }
                out.add(new Token(TokenType.IDENT, src.substring(start, pos), startRow, startCol, start, pos, nl));
            } else if (Character.isDigit(c)) {
                scanNumber();
                out.add(new Token(TokenType.NUMBER, src.substring(start, pos), startRow, startCol, start, pos, nl));
            } else if (c == '"') {
                String s = scanString(startRow, startCol);
                out.add(new Token(TokenType.STRING, s, startRow, startCol, start, pos, nl));
            } else if (c == '`') {
                int close = src.indexOf('`', pos + 1);
                if (close < 0) {
                    throw new LexException("non-terminated raw string", startRow, startCol);
                }
                String s = src.substring(pos + 1, close);
                for (int i = pos; i < close; i++) {
                    if (src.charAt(i) == '\n') {
                        row++;
                        lineStart = i + 1;
                    }
                }
                pos = close + 1;
                out.add(new Token(TokenType.STRING, s, startRow, startCol, start, pos, nl));
            } else if (c == '$'
                    && pos + 1 < src.length()
                    && (src.charAt(pos + 1) == '"' || src.charAt(pos + 1) == '`')) {
                boolean raw = src.charAt(pos + 1) == '`';
                pos += 2;
                out.add(new Token(TokenType.TEMPLATE_START, raw ? "$`" : "$\"", startRow, startCol, start, pos, nl));
                out.add(templatePart(raw, start, startRow, startCol, false));
            } else if (c == '}' && !templates.isEmpty() && templates.peek()[1] == 0) {
                boolean raw = templates.pop()[0] == 1;
                pos++;
                out.add(templatePart(raw, start, startRow, startCol, nl));
            } else {
                if (!templates.isEmpty() && (c == '{' || c == '}')) {
                    templates.peek()[1] += c == '{' ? 1 : -1;
                }
                TokenType t = punct(c);
                if (t == null) {
                    throw new LexException(
                            c == '$' ? "illegal $ character" : "illegal token '" + c + "'", startRow, startCol);
                }
                out.add(new Token(t, t.text(), startRow, startCol, start, pos, nl));
            }
        }
    }

    private boolean skipSpace() {
        boolean nl = false;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                nl = true;
                pos++;
                row++;
                lineStart = pos;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '#') {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                break;
            }
        }
        return nl;
    }

    /**
     * Scans a literal part of a template string up to an unescaped {@code {} (TEMPLATE_PART, the
     * expression's brace depth is then tracked) or the closing delimiter (TEMPLATE_END). Escapes are
     * those of strings plus {@code \{}; a raw ({@code `}) template only knows {@code \{} and may span lines.
     */
    private Token templatePart(boolean raw, int start, int startRow, int startCol, boolean nl) {
        StringBuilder sb = new StringBuilder();
        char close = raw ? '`' : '"';
        while (true) {
            if (pos >= src.length() || (!raw && src.charAt(pos) == '\n')) {
                throw new LexException("non-terminated string", startRow, startCol);
            }
            char c = src.charAt(pos++);
            if (c == close) {
                return new Token(TokenType.TEMPLATE_END, wellFormed(sb), startRow, startCol, start, pos, nl);
            }
            if (c == '{') {
                templates.push(new int[] {raw ? 1 : 0, 0});
                return new Token(TokenType.TEMPLATE_PART, wellFormed(sb), startRow, startCol, start, pos, nl);
            }
            if (c == '\n') {
                row++;
                lineStart = pos;
            }
            if (c != '\\') {
                sb.append(c);
            } else if (pos < src.length() && src.charAt(pos) == '{') {
                sb.append('{');
                pos++;
            } else if (raw) {
                sb.append(c);
            } else {
                pos--;
                sb.append(escape(startRow, startCol));
            }
        }
    }

    private void scanNumber() {
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
            pos++;
        }
        if (pos + 1 < src.length() && src.charAt(pos) == '.' && Character.isDigit(src.charAt(pos + 1))) {
            pos++;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                pos++;
            }
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = save;
            }
        }
    }

    private String scanString(int startRow, int startCol) {
        StringBuilder sb = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= src.length() || src.charAt(pos) == '\n') {
                throw new LexException("non-terminated string", startRow, startCol);
            }
            char c = src.charAt(pos++);
            if (c == '"') {
                return wellFormed(sb);
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            pos--;
            sb.append(escape(startRow, startCol));
        }
    }

    /**
     * The decoded text with every unpaired surrogate (from a lone surrogate escape) replaced by
     * U+FFFD, as Go's JSON decoding of OPA's string literals does; an escaped pair is one code point.
     */
    private static String wellFormed(StringBuilder sb) {
        for (int i = 0; i < sb.length(); i++) {
            char c = sb.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < sb.length() && Character.isLowSurrogate(sb.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                sb.setCharAt(i, '\uFFFD');
            }
        }
        return sb.toString();
    }

    /** Decodes the escape sequence at pos (the backslash), as JSON strings do. */
    private char escape(int startRow, int startCol) {
        pos++;
        if (pos >= src.length()) {
            throw new LexException("non-terminated string", startRow, startCol);
        }
        char e = src.charAt(pos++);
        return switch (e) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> {
                if (pos + 4 > src.length()) {
                    throw new LexException("illegal escape sequence", startRow, startCol);
                }
                int u = 0;
                for (int i = 0; i < 4; i++) {
                    // exactly four ASCII hex digits (Integer.parseInt would also take a sign or other scripts' digits)
                    char h = src.charAt(pos + i);
                    int d = h < 128 ? Character.digit(h, 16) : -1;
                    if (d < 0) {
                        throw new LexException("illegal escape sequence", startRow, startCol);
                    }
                    u = u * 16 + d;
                }
                pos += 4;
                yield (char) u;
            }
            default -> throw new LexException("illegal escape sequence", startRow, startCol);
        };
    }

    private TokenType punct(char c) {
        char n = pos + 1 < src.length() ? src.charAt(pos + 1) : 0;
        TokenType two = switch (c) {
            case ':' -> n == '=' ? TokenType.ASSIGN : null;
            case '=' -> n == '=' ? TokenType.EQ : null;
            case '!' -> n == '=' ? TokenType.NEQ : null;
            case '<' -> n == '=' ? TokenType.LTE : null;
            case '>' -> n == '=' ? TokenType.GTE : null;
            default -> null;
        };
        if (two != null) {
            pos += 2;
            return two;
        }
        TokenType one = switch (c) {
            case '{' -> TokenType.LBRACE;
            case '}' -> TokenType.RBRACE;
            case '[' -> TokenType.LBRACK;
            case ']' -> TokenType.RBRACK;
            case '(' -> TokenType.LPAREN;
            case ')' -> TokenType.RPAREN;
            case '.' -> TokenType.DOT;
            case ',' -> TokenType.COMMA;
            case ';' -> TokenType.SEMICOLON;
            case ':' -> TokenType.COLON;
            case '|' -> TokenType.OR;
            case '&' -> TokenType.AND;
            case '+' -> TokenType.PLUS;
            case '-' -> TokenType.MINUS;
            case '*' -> TokenType.STAR;
            case '/' -> TokenType.SLASH;
            case '%' -> TokenType.PERCENT;
            case '=' -> TokenType.UNIFY;
            case '<' -> TokenType.LT;
            case '>' -> TokenType.GT;
            default -> null;
        };
        if (one != null) {
            pos++;
        }
        return one;
    }
}
