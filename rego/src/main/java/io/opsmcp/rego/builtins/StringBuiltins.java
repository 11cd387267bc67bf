package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.BOOLEAN;
import static io.opsmcp.rego.builtins.Type.NUMBER;
import static io.opsmcp.rego.builtins.Type.STRING;
import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * String built-ins with the semantics of OPA's {@code v1/topdown/strings.go}: indexes and lengths
 * count Unicode code points (Go runes), trimming uses Go's cutset rules, replace/replace_n use Go's
 * {@code strings.NewReplacer} (leftmost match, earlier sorted key wins, output not rescanned).
 */
final class StringBuiltins {
    private StringBuiltins() {}

    private static final Type STRINGS = Type.anyOf(Type.array(STRING), Type.set(STRING));
    private static final Type STRING_OR_STRINGS = Type.anyOf(STRING, Type.array(STRING), Type.set(STRING));

    static List<Builtin> all() {
        return List.of(
                Builtin.simple("concat", args(STRING, STRINGS), STRING, StringBuiltins::concat),
                Builtin.simple("contains", args(STRING, STRING), BOOLEAN, bool(String::contains)),
                Builtin.simple("startswith", args(STRING, STRING), BOOLEAN, bool(String::startsWith)),
                Builtin.simple("endswith", args(STRING, STRING), BOOLEAN, bool(String::endsWith)),
                Builtin.simple("strings.count", args(STRING, STRING), NUMBER, StringBuiltins::count),
                Builtin.simple("indexof", args(STRING, STRING), NUMBER, StringBuiltins::indexOf),
                Builtin.simple("indexof_n", args(STRING, STRING), Type.array(NUMBER), StringBuiltins::indexOfN),
                Builtin.simple(
                        "lower", args(STRING), STRING, (a, c) -> str(mapCodePoints(Operands.string(a, 0), true))),
                Builtin.simple(
                        "upper", args(STRING), STRING, (a, c) -> str(mapCodePoints(Operands.string(a, 0), false))),
                Builtin.simple("split", args(STRING, STRING), Type.array(STRING), StringBuiltins::split),
                Builtin.simple(
                        "strings.split_n", args(STRING, STRING, NUMBER), Type.array(STRING), StringBuiltins::splitN),
                Builtin.simple("replace", args(STRING, STRING, STRING), STRING, StringBuiltins::replace),
                Builtin.simple(
                        "strings.replace_n",
                        args(Type.object(STRING, STRING), STRING),
                        STRING,
                        StringBuiltins::replaceN),
                Builtin.simple("substring", args(STRING, NUMBER, NUMBER), STRING, StringBuiltins::substring),
                Builtin.simple("trim", args(STRING, STRING), STRING, (a, c) -> str(trimCutset(a, true, true))),
                Builtin.simple("trim_left", args(STRING, STRING), STRING, (a, c) -> str(trimCutset(a, true, false))),
                Builtin.simple("trim_right", args(STRING, STRING), STRING, (a, c) -> str(trimCutset(a, false, true))),
                Builtin.simple("trim_prefix", args(STRING, STRING), STRING, StringBuiltins::trimPrefix),
                Builtin.simple("trim_suffix", args(STRING, STRING), STRING, StringBuiltins::trimSuffix),
                Builtin.simple("trim_space", args(STRING), STRING, (a, c) -> str(trimSpace(Operands.string(a, 0)))),
                Builtin.simple(
                        "strings.reverse",
                        args(STRING),
                        STRING,
                        (a, c) -> str(new StringBuilder(Operands.string(a, 0))
                                .reverse()
                                .toString())),
                Builtin.simple("format_int", args(NUMBER, NUMBER), STRING, StringBuiltins::formatInt),
                Builtin.simple("sprintf", args(STRING, Type.ANY_ARRAY), STRING, StringBuiltins::sprintf),
                Builtin.simple(
                        "strings.any_prefix_match",
                        args(STRING_OR_STRINGS, STRING_OR_STRINGS),
                        BOOLEAN,
                        (a, c) -> anyMatch(a, String::startsWith)),
                Builtin.simple(
                        "strings.any_suffix_match",
                        args(STRING_OR_STRINGS, STRING_OR_STRINGS),
                        BOOLEAN,
                        (a, c) -> anyMatch(a, String::endsWith)));
    }

    private static StringValue str(String s) {
        return StringValue.of(s);
    }

    private static BuiltinFunction.Simple bool(BiPredicate<String, String> test) {
        return (a, c) -> BooleanValue.of(test.test(Operands.string(a, 0), Operands.string(a, 1)));
    }

    private static Value concat(List<Value> args, BuiltinContext ctx) {
        String sep = Operands.string(args, 0);
        Value coll = args.get(1);
        Collection<Value> elems = Operands.elementsOf(coll);
        if (elems == null) {
            throw Operands.oneOf(1, coll, "set", "array");
        }
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (Value e : elems) {
            if (!(e instanceof StringValue s)) {
                throw Operands.element(1, coll, e, "string");
            }
            if (!first) {
                sb.append(sep);
            }
            first = false;
            sb.append(s.value());
        }
        return str(sb.toString());
    }

    private static Value count(List<Value> args, BuiltinContext ctx) {
        String s = Operands.string(args, 0);
        String sub = Operands.string(args, 1);
        if (sub.isEmpty()) {
            return NumberValue.of(s.codePointCount(0, s.length()) + 1L);
        }
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
            n++;
        }
        return NumberValue.of(n);
    }

    private static Value indexOf(List<Value> args, BuiltinContext ctx) {
        String base = Operands.string(args, 0);
        String search = Operands.string(args, 1);
        if (search.isEmpty()) {
            throw new BuiltinError("empty search character");
        }
        int i = base.indexOf(search);
        return NumberValue.of(i < 0 ? -1 : base.codePointCount(0, i));
    }

    private static Value indexOfN(List<Value> args, BuiltinContext ctx) {
        String base = Operands.string(args, 0);
        String search = Operands.string(args, 1);
        if (search.isEmpty()) {
            throw new BuiltinError("empty search character");
        }
        List<Value> out = new ArrayList<>();
        for (int i = base.indexOf(search); i >= 0; i = base.indexOf(search, base.offsetByCodePoints(i, 1))) {
            out.add(NumberValue.of(base.codePointCount(0, i)));
        }
        return ArrayValue.of(out);
    }

    /** Per-rune case mapping, as Go's strings.ToLower/ToUpper (no locale-specific rules). */
    static String mapCodePoints(String s, boolean lower) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> sb.appendCodePoint(lower ? Character.toLowerCase(cp) : Character.toUpperCase(cp)));
        return sb.toString();
    }

    /** Go's strings.Split: an empty separator splits after each rune. */
    static List<String> goSplit(String s, String sep) {
        List<String> parts = new ArrayList<>();
        if (sep.isEmpty()) {
            s.codePoints().forEach(cp -> parts.add(new String(Character.toChars(cp))));
            return parts;
        }
        int start = 0;
        for (int i = s.indexOf(sep); i >= 0; i = s.indexOf(sep, start)) {
            parts.add(s.substring(start, i));
            start = i + sep.length();
        }
        parts.add(s.substring(start));
        return parts;
    }

    private static ArrayValue strings(List<String> parts) {
        List<Value> out = new ArrayList<>(parts.size());
        for (String p : parts) {
            out.add(str(p));
        }
        return ArrayValue.of(out);
    }

    private static Value split(List<Value> args, BuiltinContext ctx) {
        String s = Operands.string(args, 0);
        String sep = Operands.string(args, 1);
        return strings(goSplit(s, sep));
    }

    /** n &gt; 0: the first n parts; n &lt; 0: the last |n| parts; 0: none. */
    private static Value splitN(List<Value> args, BuiltinContext ctx) {
        String s = Operands.string(args, 0);
        String sep = Operands.string(args, 1);
        long n = Operands.integer(args, 2);
        List<String> parts = goSplit(s, sep);
        if (n >= 0) {
            return strings(parts.subList(0, (int) Math.min(n, parts.size())));
        }
        return strings(parts.subList((int) Math.max(0, parts.size() + n), parts.size()));
    }

    private static Value replace(List<Value> args, BuiltinContext ctx) {
        String s = Operands.string(args, 0);
        String old = Operands.string(args, 1);
        String neu = Operands.string(args, 2);
        return str(goReplace(s, List.of(old), List.of(neu)));
    }

    private static Value replaceN(List<Value> args, BuiltinContext ctx) {
        ObjectValue patterns = Operands.object(args, 0);
        String s = Operands.string(args, 1);
        List<String> olds = new ArrayList<>();
        List<String> news = new ArrayList<>();
        for (Value k : patterns.keys()) {
            if (!(k instanceof StringValue ks)) {
                throw new BuiltinTypeError("operand 1 non-string key found in pattern object");
            }
            if (!(patterns.get(k) instanceof StringValue vs)) {
                throw new BuiltinTypeError("operand 1 non-string value found in pattern object");
            }
            olds.add(ks.value());
            news.add(vs.value());
        }
        return str(goReplace(s, olds, news));
    }

    /**
     * Go's generic strings.Replacer: scanning left to right, at each position the earliest pair (in
     * argument order) whose old string matches there is applied; an empty old string does not match
     * right after another empty match.
     */
    static String goReplace(String s, List<String> olds, List<String> news) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        boolean prevEmpty = false;
        while (i <= s.length()) {
            int match = -1;
            for (int k = 0; k < olds.size(); k++) {
                String old = olds.get(k);
                if (old.isEmpty() ? !prevEmpty : s.startsWith(old, i)) {
                    match = k;
                    break;
                }
            }
            if (match >= 0) {
                out.append(news.get(match));
                int len = olds.get(match).length();
                prevEmpty = len == 0;
                i += len;
                continue;
            }
            prevEmpty = false;
            if (i == s.length()) {
                break;
            }
            int next = s.offsetByCodePoints(i, 1);
            out.append(s, i, next);
            i = next;
        }
        return out.toString();
    }

    private static Value substring(List<Value> args, BuiltinContext ctx) {
        String base = Operands.string(args, 0);
        long start = Operands.integer(args, 1);
        long length = Operands.integer(args, 2);
        if (start < 0) {
            throw new BuiltinError("negative offset");
        }
        int runes = base.codePointCount(0, base.length());
        if (start >= runes) {
            return StringValue.EMPTY;
        }
        long end = length < 0 ? runes : Math.min(runes, start + length);
        int from = base.offsetByCodePoints(0, (int) start);
        int to = base.offsetByCodePoints(0, (int) end);
        return str(base.substring(from, to));
    }

    private static String trimCutset(List<Value> args, boolean left, boolean right) {
        String s = Operands.string(args, 0);
        String cutset = Operands.string(args, 1);
        int start = 0;
        int end = s.length();
        if (left) {
            while (start < end && cutset.indexOf(s.codePointAt(start)) >= 0) {
                start = s.offsetByCodePoints(start, 1);
            }
        }
        if (right) {
            while (end > start && cutset.indexOf(s.codePointBefore(end)) >= 0) {
                end = s.offsetByCodePoints(end, -1);
            }
        }
        return s.substring(start, end);
    }

    private static Value trimPrefix(List<Value> args, BuiltinContext ctx) {
        String s = Operands.string(args, 0);
        String p = Operands.string(args, 1);
        return s.startsWith(p) ? str(s.substring(p.length())) : args.get(0);
    }

    private static Value trimSuffix(List<Value> args, BuiltinContext ctx) {
        String s = Operands.string(args, 0);
        String p = Operands.string(args, 1);
        return s.endsWith(p) ? str(s.substring(0, s.length() - p.length())) : args.get(0);
    }

    /** Go's unicode.IsSpace. */
    static boolean isGoSpace(int cp) {
        return switch (cp) {
            case '\t', '\n', 0x0b, '\f', '\r', ' ', 0x85, 0xA0 -> true;
            default -> cp > 0xff && Character.isSpaceChar(cp);
        };
    }

    static String trimSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isGoSpace(s.codePointAt(start))) {
            start = s.offsetByCodePoints(start, 1);
        }
        while (end > start && isGoSpace(s.codePointBefore(end))) {
            end = s.offsetByCodePoints(end, -1);
        }
        return s.substring(start, end);
    }

    private static Value formatInt(List<Value> args, BuiltinContext ctx) {
        NumberValue input = Operands.number(args, 0);
        NumberValue base = Operands.number(args, 1);
        int radix;
        if (base.equals(NumberValue.of(2))) {
            radix = 2;
        } else if (base.equals(NumberValue.of(8))) {
            radix = 8;
        } else if (base.equals(NumberValue.of(10))) {
            radix = 10;
        } else if (base.equals(NumberValue.of(16))) {
            radix = 16;
        } else {
            throw new BuiltinTypeError("operand 2 must be one of {2, 8, 10, 16}");
        }
        BigInteger i = input.bigDecimal().setScale(0, RoundingMode.DOWN).toBigInteger();
        return str(i.toString(radix));
    }

    private static Value sprintf(List<Value> args, BuiltinContext ctx) {
        String format = Operands.string(args, 0);
        Value arr = args.get(1);
        if (!(arr instanceof ArrayValue a)) {
            throw BuiltinTypeError.operand(2, "array", arr);
        }
        return str(SprintfFormatter.format(format, a.elements()));
    }

    private static List<String> stringOrStrings(List<Value> args, int index) {
        Value v = args.get(index);
        if (v instanceof StringValue s) {
            return List.of(s.value());
        }
        if (Operands.elementsOf(v) == null) {
            throw Operands.oneOf(index, v, "string", "set", "array");
        }
        return Operands.strings(args, index);
    }

    private static Value anyMatch(List<Value> args, BiPredicate<String, String> test) {
        List<String> subjects = stringOrStrings(args, 0);
        List<String> affixes = stringOrStrings(args, 1);
        for (String s : subjects) {
            for (String a : affixes) {
                if (test.test(s, a)) {
                    return BooleanValue.TRUE;
                }
            }
        }
        return BooleanValue.FALSE;
    }
}
