package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.BOOLEAN;
import static io.opsmcp.rego.builtins.Type.NUMBER;
import static io.opsmcp.rego.builtins.Type.STRING;
import static io.opsmcp.rego.builtins.Type.args;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * regex.* built-ins on re2j, which implements Go's RE2 syntax and leftmost-first semantics, so
 * patterns mean what they mean in OPA. Split, find_n and submatch follow Go's regexp (empty matches
 * right after a previous match are skipped); replace expands $1, ${1}, $name and $$ as Go's Expand.
 */
final class RegexBuiltins {
    private RegexBuiltins() {}

    private static final int CACHE_LIMIT = 100;
    private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

    static List<Builtin> all() {
        return List.of(
                Builtin.simple("regex.match", args(STRING, STRING), BOOLEAN, RegexBuiltins::match),
                Builtin.simple("re_match", args(STRING, STRING), BOOLEAN, RegexBuiltins::match),
                Builtin.simple("regex.is_valid", args(Type.ANY), BOOLEAN, RegexBuiltins::isValid),
                Builtin.simple("regex.split", args(STRING, STRING), Type.array(STRING), RegexBuiltins::split),
                Builtin.simple("regex.find_n", args(STRING, STRING, NUMBER), Type.array(STRING), RegexBuiltins::findN),
                Builtin.simple(
                        "regex.find_all_string_submatch_n",
                        args(STRING, STRING, NUMBER),
                        Type.array(Type.array(STRING)),
                        RegexBuiltins::submatches),
                Builtin.simple("regex.replace", args(STRING, STRING, STRING), STRING, RegexBuiltins::replace),
                Builtin.simple(
                        "regex.globs_match",
                        args(STRING, STRING),
                        BOOLEAN,
                        (a, c) -> BooleanValue.of(
                                GlobIntersection.nonEmpty(Operands.string(a, 0), Operands.string(a, 1)))),
                Builtin.simple(
                        "regex.template_match",
                        args(STRING, STRING, STRING, STRING),
                        BOOLEAN,
                        RegexBuiltins::templateMatch));
    }

    /** Compiles with a small bounded cache; a syntax error is a built-in error carrying Go's text. */
    static Pattern compile(String pattern) {
        Pattern p = CACHE.get(pattern);
        if (p != null) {
            return p;
        }
        try {
            p = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new BuiltinError(e.getMessage());
        }
        if (CACHE.size() >= CACHE_LIMIT) {
            CACHE.clear();
        }
        CACHE.put(pattern, p);
        return p;
    }

    /**
     * regex.template_match(template, s, start, end): the template's text outside the one-byte delimiters matches
     * literally, each delimited part as a regular expression, the whole anchored (OPA's fork of gorilla/mux's
     * template compiler, {@code v1/topdown/regex_template.go}).
     */
    private static Value templateMatch(List<Value> args, BuiltinContext ctx) {
        String template = Operands.string(args, 0);
        String s = Operands.string(args, 1);
        String start = Operands.string(args, 2);
        String end = Operands.string(args, 3);
        int startLen = start.getBytes(StandardCharsets.UTF_8).length;
        if (startLen != 1) {
            throw new BuiltinError("start delimiter has to be exactly one character long but is " + startLen + " long");
        }
        if (end.getBytes(StandardCharsets.UTF_8).length != 1) {
            // OPA reports the start delimiter's length here too.
            throw new BuiltinError("end delimiter has to be exactly one character long but is " + startLen + " long");
        }
        char open = start.charAt(0);
        char close = end.charAt(0);
        StringBuilder pattern = new StringBuilder("^");
        int level = 0;
        int partStart = 0;
        int literalStart = 0;
        for (int i = 0; i < template.length(); i++) {
            char ch = template.charAt(i);
            if (ch == open) {
                if (++level == 1) {
                    partStart = i;
                }
            } else if (ch == close) {
                if (--level == 0) {
                    String part = template.substring(partStart + 1, i);
                    compile("^" + part + "$");
                    pattern.append(quoteMeta(template.substring(literalStart, partStart)))
                            .append('(')
                            .append(part)
                            .append(')');
                    literalStart = i + 1;
                } else if (level < 0) {
                    throw new BuiltinError("unbalanced braces in " + GoQuote.quote(template));
                }
            }
        }
        if (level != 0) {
            throw new BuiltinError("unbalanced braces in " + GoQuote.quote(template));
        }
        pattern.append(quoteMeta(template.substring(literalStart))).append('$');
        return BooleanValue.of(compile(pattern.toString()).matcher(s).find());
    }

    /** Go's regexp.QuoteMeta. */
    static String quoteMeta(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if ("\\.+*?()|[]{}^$".indexOf(ch) >= 0) {
                sb.append('\\');
            }
            sb.append(ch);
        }
        return sb.toString();
    }

    private static Value match(List<Value> args, BuiltinContext ctx) {
        String pattern = Operands.string(args, 0);
        String s = Operands.string(args, 1);
        return BooleanValue.of(compile(pattern).matcher(s).find());
    }

    private static Value isValid(List<Value> args, BuiltinContext ctx) {
        if (!(args.get(0) instanceof StringValue s)) {
            return BooleanValue.FALSE;
        }
        try {
            compile(s.value());
            return BooleanValue.TRUE;
        } catch (BuiltinError e) {
            return BooleanValue.FALSE;
        }
    }

    /** Go's regexp.allMatches: [start, end, group starts/ends...] per accepted match, at most n (n &lt; 0: all). */
    static List<int[]> allMatches(Pattern p, String s, long n) {
        List<int[]> out = new ArrayList<>();
        Matcher m = p.matcher(s);
        int pos = 0;
        int prevEnd = -1;
        while ((n < 0 || out.size() < n) && pos <= s.length()) {
            if (!m.find(pos)) {
                break;
            }
            boolean accept = true;
            if (m.end() == pos) {
                if (m.start() == prevEnd) {
                    accept = false;
                }
                pos = pos < s.length() ? s.offsetByCodePoints(pos, 1) : s.length() + 1;
            } else {
                pos = m.end();
            }
            prevEnd = m.end();
            if (accept) {
                int[] g = new int[2 * (m.groupCount() + 1)];
                for (int i = 0; i <= m.groupCount(); i++) {
                    g[2 * i] = m.start(i);
                    g[2 * i + 1] = m.end(i);
                }
                out.add(g);
            }
        }
        return out;
    }

    private static Value split(List<Value> args, BuiltinContext ctx) {
        String pattern = Operands.string(args, 0);
        String s = Operands.string(args, 1);
        Pattern p = compile(pattern);
        if (!pattern.isEmpty() && s.isEmpty()) {
            return ArrayValue.of(StringValue.EMPTY);
        }
        List<Value> out = new ArrayList<>();
        int beg = 0;
        int end = 0;
        for (int[] m : allMatches(p, s, -1)) {
            end = m[0];
            if (m[1] != 0) {
                out.add(StringValue.of(s.substring(beg, end)));
            }
            beg = m[1];
        }
        if (end != s.length()) {
            out.add(StringValue.of(s.substring(beg)));
        }
        return ArrayValue.of(out);
    }

    private static Value findN(List<Value> args, BuiltinContext ctx) {
        String pattern = Operands.string(args, 0);
        String s = Operands.string(args, 1);
        long n = Operands.integer(args, 2);
        List<Value> out = new ArrayList<>();
        for (int[] m : allMatches(compile(pattern), s, n)) {
            out.add(StringValue.of(s.substring(m[0], m[1])));
        }
        return ArrayValue.of(out);
    }

    private static Value submatches(List<Value> args, BuiltinContext ctx) {
        String pattern = Operands.string(args, 0);
        String s = Operands.string(args, 1);
        long n = Operands.integer(args, 2);
        List<Value> out = new ArrayList<>();
        for (int[] m : allMatches(compile(pattern), s, n)) {
            List<Value> groups = new ArrayList<>();
            for (int i = 0; i < m.length; i += 2) {
                groups.add(StringValue.of(m[i] < 0 ? "" : s.substring(m[i], m[i + 1])));
            }
            out.add(ArrayValue.of(groups));
        }
        return ArrayValue.of(out);
    }

    private static Value replace(List<Value> args, BuiltinContext ctx) {
        String base = Operands.string(args, 0);
        String pattern = Operands.string(args, 1);
        String template = Operands.string(args, 2);
        Pattern p = compile(pattern);
        StringBuilder out = new StringBuilder();
        int last = 0;
        for (int[] m : allMatches(p, base, -1)) {
            out.append(base, last, m[0]);
            expand(out, template, base, m, p);
            last = m[1];
        }
        out.append(base.substring(last));
        return StringValue.of(out.toString());
    }

    /** Go's Regexp.Expand: $name / ${name} take the longest run of letters, digits and underscore. */
    private static void expand(StringBuilder out, String template, String src, int[] m, Pattern p) {
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '$' || i + 1 >= template.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = template.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            String name;
            int end;
            if (next == '{') {
                int close = template.indexOf('}', i + 2);
                name = close < 0 ? "" : template.substring(i + 2, close);
                if (close < 0
                        || name.isEmpty()
                        || !name.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_')) {
                    out.append(c);
                    i++;
                    continue;
                }
                end = close + 1;
            } else {
                end = i + 1;
                while (end < template.length()
                        && (Character.isLetterOrDigit(template.charAt(end)) || template.charAt(end) == '_')) {
                    end++;
                }
                name = template.substring(i + 1, end);
                if (name.isEmpty()) {
                    out.append(c);
                    i++;
                    continue;
                }
            }
            int group = -1;
            if (name.chars().allMatch(Character::isDigit)) {
                try {
                    group = Integer.parseInt(name);
                } catch (NumberFormatException e) {
                    group = -1;
                }
            } else {
                Integer g = p.namedGroups().get(name);
                group = g == null ? -1 : g;
            }
            if (group >= 0 && 2 * group + 1 < m.length && m[2 * group] >= 0) {
                out.append(src, m[2 * group], m[2 * group + 1]);
            }
            i = end;
        }
    }
}
