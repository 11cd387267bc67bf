package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.BOOLEAN;
import static io.opsmcp.rego.builtins.Type.STRING;
import static io.opsmcp.rego.builtins.Type.args;

import com.google.re2j.Pattern;
import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NullValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * glob.match and glob.quote_meta with the semantics of github.com/gobwas/glob as OPA uses it:
 * {@code *} matches any run of non-delimiter characters, {@code **} any run, {@code ?} one
 * non-delimiter character, {@code [abc]}/{@code [!abc]}/{@code [a-z]}/{@code [!a-z]} one character,
 * {@code {a,b}} alternatives, {@code \} escapes. Delimiters: null means none, an empty array means
 * ".". The pattern is translated to an anchored RE2 expression.
 */
final class GlobBuiltins {
    private GlobBuiltins() {}

    private static final int CACHE_LIMIT = 100;
    private static final Map<Key, Matcher> CACHE = new ConcurrentHashMap<>();

    static List<Builtin> all() {
        return List.of(
                Builtin.simple(
                        "glob.match",
                        args(STRING, Type.anyOf(Type.array(STRING), Type.NULL), STRING),
                        BOOLEAN,
                        GlobBuiltins::match),
                Builtin.simple(
                        "glob.quote_meta",
                        args(STRING),
                        STRING,
                        (a, c) -> StringValue.of(quoteMeta(Operands.string(a, 0)))));
    }

    private static Value match(List<Value> args, BuiltinContext ctx) {
        String pattern = Operands.string(args, 0);
        Value delimArg = args.get(1);
        // Keyed by the delimiter argument itself: a hit skips re-validating and re-collecting delimiters
        // (only valid arguments are ever cached).
        Key key = new Key(pattern, delimArg);
        Matcher p = CACHE.get(key);
        if (p != null) {
            return BooleanValue.of(p.matches(Operands.string(args, 2)));
        }
        List<Integer> delimiters = new ArrayList<>();
        if (delimArg instanceof ArrayValue arr) {
            for (Value d : arr.elements()) {
                if (!(d instanceof StringValue s)) {
                    throw Operands.element(1, arr, d, "string");
                }
                if (s.value().codePointCount(0, s.value().length()) != 1) {
                    throw Operands.element(1, arr, d, "rune");
                }
                delimiters.add(s.value().codePointAt(0));
            }
            if (delimiters.isEmpty()) {
                delimiters.add((int) '.');
            }
        } else if (!(delimArg instanceof NullValue)) {
            throw Operands.oneOf(1, delimArg, "array", "null");
        }
        String subject = Operands.string(args, 2);
        p = compile(pattern, delimiters);
        if (CACHE.size() >= CACHE_LIMIT) {
            CACHE.clear();
        }
        CACHE.put(key, p);
        return BooleanValue.of(p.matches(subject));
    }

    /**
     * A cache key. Its equals and hashCode are written out: a record's are bootstrapped method handles, which C1
     * does not inline (the cache look-up was ~1.3 % of a guarded decision's samples).
     */
    private record Key(String pattern, Value delimiters) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && pattern.equals(k.pattern) && Objects.equals(delimiters, k.delimiters);
        }

        @Override
        public int hashCode() {
            return pattern.hashCode() * 31 + Objects.hashCode(delimiters);
        }
    }

    /** A compiled glob: whether a whole string matches it. */
    @FunctionalInterface
    interface Matcher {
        boolean matches(String subject);
    }

    /**
     * The matcher of {@code pattern} with these delimiters (code points; empty: none). The common shapes of scope
     * patterns — a plain name ({@code sandbox}) and a name prefix ending in one {@code *} ({@code dev-*}) — are
     * matched without RE2 (the shipped policy matches every host call's group against five such patterns); they
     * answer as the RE2 translation does, which every other pattern uses ({@code GlobMatcherTest} compares both).
     *
     * @throws BuiltinError when the pattern is malformed
     */
    static Matcher compile(String pattern, List<Integer> delimiters) {
        Matcher plain = plain(pattern, delimiters);
        return plain != null ? plain : regex(pattern, delimiters);
    }

    /** The RE2 translation of the pattern (every shape). */
    static Matcher regex(String pattern, List<Integer> delimiters) {
        Pattern p = Pattern.compile(new GlobTranslator(pattern, delimiters).translate(), Pattern.DOTALL);
        return p::matches;
    }

    /**
     * A matcher without RE2 for a pattern of literal characters, optionally followed by a single {@code *}; {@code
     * null} for any other pattern. Surrogates (in the pattern, a delimiter or, past the prefix, the subject) are
     * left to RE2, whose reading of unpaired ones this does not repeat.
     */
    static Matcher plain(String pattern, List<Integer> delimiters) {
        for (int d : delimiters) {
            if (d >= Character.MIN_SURROGATE) {
                return null;
            }
        }
        int end = pattern.length();
        boolean star = end > 0 && pattern.charAt(end - 1) == '*';
        String prefix = star ? pattern.substring(0, end - 1) : pattern;
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            // the characters that start a glob element or escape one (text() stops at them), and surrogates
            if (c == '*' || c == '?' || c == '[' || c == '{' || c == '\\' || Character.isSurrogate(c)) {
                return null;
            }
        }
        if (!star) {
            return prefix::equals;
        }
        int[] delims = delimiters.stream().mapToInt(Integer::intValue).toArray();
        Matcher fallback = regex(pattern, delimiters);
        return subject -> {
            if (!subject.startsWith(prefix)) {
                return false;
            }
            for (int i = prefix.length(); i < subject.length(); i++) {
                char c = subject.charAt(i);
                if (Character.isSurrogate(c)) {
                    return fallback.matches(subject);
                }
                for (int d : delims) {
                    if (c == d) {
                        return false;
                    }
                }
            }
            return true;
        };
    }

    /** gobwas/glob QuoteMeta: escapes * ? \ [ ] { }. */
    static String quoteMeta(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("*?\\[]{}".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Lexes a gobwas glob pattern (syntax/lexer) and emits the equivalent RE2 expression. */
    private static final class GlobTranslator {
        private final String src;
        private final String notDelim;
        private int pos;
        private int termsDepth;

        GlobTranslator(String src, List<Integer> delimiters) {
            this.src = src;
            if (delimiters.isEmpty()) {
                this.notDelim = ".";
            } else {
                StringBuilder sb = new StringBuilder("[^");
                for (int d : delimiters) {
                    sb.append(escapeInClass(d));
                }
                this.notDelim = sb.append(']').toString();
            }
        }

        String translate() {
            StringBuilder re = new StringBuilder();
            while (pos < src.length()) {
                int c = src.codePointAt(pos);
                if (c == '{') {
                    pos++;
                    termsDepth++;
                    re.append("(?:");
                } else if (c == ',' && termsDepth > 0) {
                    pos++;
                    re.append('|');
                } else if (c == '}' && termsDepth > 0) {
                    pos++;
                    termsDepth--;
                    re.append(')');
                } else if (c == '[') {
                    pos++;
                    re.append(range());
                } else if (c == '?') {
                    pos++;
                    re.append(notDelim);
                } else if (c == '*') {
                    pos++;
                    if (pos < src.length() && src.charAt(pos) == '*') {
                        pos++;
                        re.append(".*");
                    } else {
                        re.append(notDelim).append('*');
                    }
                } else {
                    re.append(Pattern.quote(text(termsDepth > 0 ? "?*[{}," : "?*[{")));
                }
            }
            // gobwas accepts an unclosed group: the alternatives end with the pattern.
            re.append(")".repeat(termsDepth));
            return re.toString();
        }

        private String text(String breakers) {
            StringBuilder sb = new StringBuilder();
            boolean escaped = false;
            while (pos < src.length()) {
                int c = src.codePointAt(pos);
                if (!escaped) {
                    if (c == '\\') {
                        escaped = true;
                        pos++;
                        continue;
                    }
                    if (breakers.indexOf(c) >= 0) {
                        break;
                    }
                }
                escaped = false;
                sb.appendCodePoint(c);
                pos += Character.charCount(c);
            }
            if (escaped) {
                throw new BuiltinError("trailing backslash");
            }
            return sb.toString();
        }

        private String range() {
            boolean not = false;
            if (pos < src.length() && src.charAt(pos) == '!') {
                not = true;
                pos++;
            }
            if (pos >= src.length()) {
                throw new BuiltinError("unexpected end of input");
            }
            int lo = src.codePointAt(pos);
            int afterLo = pos + Character.charCount(lo);
            String body;
            if (afterLo < src.length() && src.charAt(afterLo) == '-') {
                if (afterLo + 1 >= src.length()) {
                    throw new BuiltinError("unexpected end of input");
                }
                int hi = src.codePointAt(afterLo + 1);
                pos = afterLo + 1 + Character.charCount(hi);
                if (hi < lo) {
                    throw new BuiltinError("hi character '" + new String(Character.toChars(hi))
                            + "' should be greater than lo '" + new String(Character.toChars(lo)) + "'");
                }
                body = escapeInClass(lo) + "-" + escapeInClass(hi);
            } else {
                String chars = text("]");
                if (chars.isEmpty()) {
                    throw new BuiltinError("could not parse range");
                }
                StringBuilder sb = new StringBuilder();
                chars.codePoints().forEach(cp -> sb.append(escapeInClass(cp)));
                body = sb.toString();
            }
            if (pos >= src.length()) {
                throw new BuiltinError("unexpected end of input");
            }
            if (src.charAt(pos) != ']') {
                throw new BuiltinError("expected close range character");
            }
            pos++;
            return "[" + (not ? "^" : "") + body + "]";
        }

        private static String escapeInClass(int cp) {
            return String.format("\\x{%x}", cp);
        }
    }
}
