package io.opsmcp.rego.builtins;

import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Go's {@code fmt.Sprintf} as OPA's sprintf uses it (v1/topdown/strings.go): numbers become Go
 * {@code int} when they fit 64 bits, {@code *big.Int} when integral, else {@code float64};
 * strings stay strings; every other value becomes the string of its Rego term ({@code [1, 2]},
 * {@code {"a": 1}}, {@code true}). Verbs, flags (+ - # 0 space), width and precision follow Go,
 * including the {@code %!d(string=x)}, {@code %!d(MISSING)} and {@code %!(EXTRA ...)} markers.
 */
final class SprintfFormatter {
    private SprintfFormatter() {}

    private static final Pattern INT = Pattern.compile("[+-]?\\d+");

    /** A Go value of one of the four kinds OPA produces. */
    private sealed interface Arg permits IntArg, BigArg, FloatArg, StrArg {}

    private record IntArg(long v) implements Arg {}

    private record BigArg(BigInteger v) implements Arg {}

    private record FloatArg(double v) implements Arg {}

    private record StrArg(String v) implements Arg {}

    private static final class Spec {
        boolean plus;
        boolean minus;
        boolean sharp;
        boolean space;
        boolean zero;
        int width = -1;
        int prec = -1;
    }

    static String format(String format, List<Value> values) {
        List<Arg> args = new ArrayList<>(values.size());
        for (Value v : values) {
            args.add(convert(v));
        }
        StringBuilder out = new StringBuilder();
        int argNum = 0;
        int i = 0;
        int n = format.length();
        while (i < n) {
            char c = format.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            i++;
            Spec spec = new Spec();
            flags:
            while (i < n) {
                switch (format.charAt(i)) {
                    case '#' -> spec.sharp = true;
                    case '0' -> spec.zero = !spec.minus;
                    case '+' -> spec.plus = true;
                    case '-' -> {
                        spec.minus = true;
                        spec.zero = false;
                    }
                    case ' ' -> spec.space = true;
                    default -> {
                        break flags;
                    }
                }
                i++;
            }
            if (i < n && format.charAt(i) == '*') {
                i++;
                if (argNum < args.size() && args.get(argNum) instanceof IntArg w) {
                    spec.width = (int) Math.abs(w.v());
                    if (w.v() < 0) {
                        spec.minus = true;
                        spec.zero = false;
                    }
                } else {
                    out.append("%!(BADWIDTH)");
                }
                argNum++;
            } else {
                int start = i;
                while (i < n && Character.isDigit(format.charAt(i))) {
                    i++;
                }
                if (i > start) {
                    spec.width = Integer.parseInt(format.substring(start, Math.min(i, start + 9)));
                }
            }
            if (i < n && format.charAt(i) == '.') {
                i++;
                if (i < n && format.charAt(i) == '*') {
                    i++;
                    if (argNum < args.size() && args.get(argNum) instanceof IntArg p && p.v() >= 0) {
                        spec.prec = (int) p.v();
                    } else {
                        out.append("%!(BADPREC)");
                    }
                    argNum++;
                } else {
                    int start = i;
                    while (i < n && Character.isDigit(format.charAt(i))) {
                        i++;
                    }
                    spec.prec = i > start ? Integer.parseInt(format.substring(start, Math.min(i, start + 9))) : 0;
                }
            }
            if (i >= n) {
                out.append("%!(NOVERB)");
                break;
            }
            int verb = format.codePointAt(i);
            i += Character.charCount(verb);
            if (verb == '%') {
                out.append('%');
                continue;
            }
            if (argNum >= args.size()) {
                out.append("%!").appendCodePoint(verb).append("(MISSING)");
                continue;
            }
            formatArg(out, args.get(argNum++), verb, spec);
        }
        if (argNum < args.size()) {
            out.append("%!(EXTRA ");
            for (int k = argNum; k < args.size(); k++) {
                if (k > argNum) {
                    out.append(", ");
                }
                Arg a = args.get(k);
                out.append(typeName(a)).append('=');
                formatArg(out, a, 'v', new Spec());
            }
            out.append(')');
        }
        return out.toString();
    }

    private static Arg convert(Value v) {
        if (v instanceof StringValue s) {
            return new StrArg(s.value());
        }
        if (v instanceof NumberValue num) {
            String text = num.toString();
            java.math.BigDecimal bd = num.bigDecimal();
            if (bd.scale() < 0 && Double.isInfinite(bd.doubleValue())) {
                // written with an exponent and beyond float64: OPA formats the number's own text ("2e308")
                return new StrArg(bd.toString().replace("E+", "e").replace('E', 'e'));
            }
            if (INT.matcher(text).matches()) {
                BigInteger b = new BigInteger(text);
                return b.bitLength() < 64 ? new IntArg(b.longValue()) : new BigArg(b);
            }
            double d = num.bigDecimal().doubleValue();
            return Double.isInfinite(d) ? new StrArg(text) : new FloatArg(d);
        }
        return new StrArg(v.toString());
    }

    private static String typeName(Arg a) {
        if (a instanceof IntArg) {
            return "int";
        }
        if (a instanceof BigArg) {
            return "*big.Int";
        }
        if (a instanceof FloatArg) {
            return "float64";
        }
        return "string";
    }

    private static void formatArg(StringBuilder out, Arg arg, int verb, Spec spec) {
        if (arg instanceof StrArg s) {
            formatString(out, s.v(), verb, spec);
        } else if (arg instanceof IntArg l) {
            formatInt(out, l.v(), verb, spec);
        } else if (arg instanceof BigArg b) {
            formatBig(out, b.v(), verb, spec);
        } else {
            formatFloat(out, ((FloatArg) arg).v(), verb, spec);
        }
    }

    private static void badVerb(StringBuilder out, Arg arg, int verb) {
        out.append("%!").appendCodePoint(verb).append('(').append(typeName(arg)).append('=');
        formatArg(out, arg, 'v', new Spec());
        out.append(')');
    }

    private static void pad(StringBuilder out, String s, Spec spec, boolean zeroAllowed) {
        int len = s.codePointCount(0, s.length());
        int padding = spec.width - len;
        if (padding <= 0) {
            out.append(s);
            return;
        }
        if (spec.minus) {
            out.append(s).append(" ".repeat(padding));
        } else {
            out.append((zeroAllowed && spec.zero ? "0" : " ").repeat(padding)).append(s);
        }
    }

    private static void formatString(StringBuilder out, String s, int verb, Spec spec) {
        switch (verb) {
            case 'v', 's' -> {
                String t = s;
                if (spec.prec >= 0 && s.codePointCount(0, s.length()) > spec.prec) {
                    t = s.substring(0, s.offsetByCodePoints(0, spec.prec));
                }
                pad(out, t, spec, true);
            }
            case 'q' -> {
                String q = spec.sharp && GoQuote.canBackquote(s) ? "`" + s + "`" : GoQuote.quote(s, '"', spec.plus);
                pad(out, q, spec, true);
            }
            case 'x', 'X' -> pad(out, hexBytes(s.getBytes(StandardCharsets.UTF_8), verb == 'X', spec), spec, true);
            default -> badVerb(out, new StrArg(s), verb);
        }
    }

    private static String hexBytes(byte[] bytes, boolean upper, Spec spec) {
        int len = spec.prec >= 0 ? Math.min(spec.prec, bytes.length) : bytes.length;
        StringBuilder sb = new StringBuilder();
        String digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
        for (int i = 0; i < len; i++) {
            if (spec.space && i > 0) {
                sb.append(' ');
            }
            if (spec.sharp && (spec.space || i == 0)) {
                sb.append(upper ? "0X" : "0x");
            }
            sb.append(digits.charAt((bytes[i] >> 4) & 0xf)).append(digits.charAt(bytes[i] & 0xf));
        }
        return sb.toString();
    }

    private static void formatInt(StringBuilder out, long v, int verb, Spec spec) {
        switch (verb) {
            case 'v', 'd' -> fmtInteger(out, BigInteger.valueOf(v), 10, verb, spec);
            case 'b' -> fmtInteger(out, BigInteger.valueOf(v), 2, verb, spec);
            case 'o', 'O' -> fmtInteger(out, BigInteger.valueOf(v), 8, verb, spec);
            case 'x', 'X' -> fmtInteger(out, BigInteger.valueOf(v), 16, verb, spec);
            case 'c' -> pad(out, runeString(v), spec, true);
            case 'q' -> pad(out, GoQuote.quoteRune(validRune(v), spec.plus), spec, true);
            case 'U' -> {
                String u = String.format("U+%04X", v);
                if (spec.sharp && v >= 0 && v <= Character.MAX_CODE_POINT && GoQuote.isPrint((int) v)) {
                    u += " '" + runeString(v) + "'";
                }
                pad(out, u, spec, true);
            }
            default -> badVerb(out, new IntArg(v), verb);
        }
    }

    private static int validRune(long v) {
        return v < 0 || v > Character.MAX_CODE_POINT || (v >= 0xD800 && v <= 0xDFFF) ? 0xFFFD : (int) v;
    }

    private static String runeString(long v) {
        return new String(Character.toChars(validRune(v)));
    }

    /** Go's fmt.fmtInteger: precision is the minimum digit count; zero flag pads via precision. */
    private static void fmtInteger(StringBuilder out, BigInteger v, int base, int verb, Spec spec) {
        boolean negative = v.signum() < 0;
        String digits = v.abs().toString(base);
        if (verb == 'X') {
            digits = digits.toUpperCase();
        }
        int prec = -1;
        if (spec.prec >= 0) {
            prec = spec.prec;
            if (prec == 0 && v.signum() == 0) {
                out.append(" ".repeat(Math.max(0, spec.width)));
                return;
            }
        } else if (spec.zero && spec.width >= 0) {
            prec = spec.width;
            if (negative || spec.plus || spec.space) {
                prec--;
            }
        }
        StringBuilder sb = new StringBuilder();
        if (prec > digits.length()) {
            sb.append("0".repeat(prec - digits.length()));
        }
        sb.append(digits);
        if (spec.sharp) {
            switch (base) {
                case 2 -> sb.insert(0, "0b");
                case 8 -> {
                    if (sb.charAt(0) != '0') {
                        sb.insert(0, '0');
                    }
                }
                case 16 -> sb.insert(0, verb == 'X' ? "0X" : "0x");
                default -> {}
            }
        }
        if (verb == 'O') {
            sb.insert(0, "0o");
        }
        if (negative) {
            sb.insert(0, '-');
        } else if (spec.plus) {
            sb.insert(0, '+');
        } else if (spec.space) {
            sb.insert(0, ' ');
        }
        pad(out, sb.toString(), spec, false);
    }

    /** math/big's Int.Format. */
    private static void formatBig(StringBuilder out, BigInteger v, int verb, Spec spec) {
        int base;
        switch (verb) {
            case 'b' -> base = 2;
            case 'o', 'O' -> base = 8;
            case 'd', 's', 'v' -> base = 10;
            case 'x', 'X' -> base = 16;
            default -> {
                out.append("%!")
                        .appendCodePoint(verb)
                        .append("(big.Int=")
                        .append(v)
                        .append(')');
                return;
            }
        }
        String sign = v.signum() < 0 ? "-" : spec.plus ? "+" : spec.space ? " " : "";
        String prefix = "";
        if (spec.sharp) {
            prefix = switch (verb) {
                case 'b' -> "0b";
                case 'o' -> "0";
                case 'x' -> "0x";
                case 'X' -> "0X";
                default -> "";
            };
        }
        if (verb == 'O') {
            prefix = "0o";
        }
        String digits = v.abs().toString(base);
        if (verb == 'X') {
            digits = digits.toUpperCase();
        }
        int zeros = 0;
        if (spec.prec >= 0) {
            if (digits.length() < spec.prec) {
                zeros = spec.prec - digits.length();
            } else if (digits.equals("0") && spec.prec == 0) {
                return;
            }
        }
        int length = sign.length() + prefix.length() + zeros + digits.length();
        int left = 0;
        int right = 0;
        if (spec.width >= 0 && length < spec.width) {
            int d = spec.width - length;
            if (spec.minus) {
                right = d;
            } else if (spec.zero && spec.prec < 0) {
                zeros = d;
            } else {
                left = d;
            }
        }
        out.append(" ".repeat(left))
                .append(sign)
                .append(prefix)
                .append("0".repeat(zeros))
                .append(digits)
                .append(" ".repeat(right));
    }

    /** Decimal digits without trailing zeros and the decimal point position, as strconv's decimal. */
    private record Digits(String d, int dp) {
        static Digits of(BigDecimal abs) {
            if (abs.signum() == 0) {
                return new Digits("", 0);
            }
            BigDecimal s = abs.stripTrailingZeros();
            String d = s.unscaledValue().toString();
            return new Digits(d, d.length() - s.scale());
        }

        char at(int i) {
            return i >= 0 && i < d.length() ? d.charAt(i) : '0';
        }
    }

    private static void formatFloat(StringBuilder out, double v, int verb, Spec spec) {
        int prec = spec.prec;
        char kind;
        switch (verb) {
            case 'v' -> {
                kind = 'g';
                prec = -1;
            }
            case 'g', 'G' -> kind = (char) verb;
            case 'e', 'E', 'f', 'F' -> {
                kind = (char) verb;
                if (prec < 0) {
                    prec = 6;
                }
            }
            default -> {
                badVerb(out, new FloatArg(v), verb);
                return;
            }
        }
        boolean neg = v < 0 || (v == 0 && 1 / v < 0);
        String num = strconvFormat(Math.abs(v), kind, prec);
        String sign = neg ? "-" : spec.plus ? "+" : spec.space ? " " : "";
        if (!sign.isEmpty()) {
            String full = sign + num;
            if (spec.zero && !spec.minus && spec.width > full.length()) {
                out.append(sign).append("0".repeat(spec.width - full.length())).append(num);
                return;
            }
            pad(out, full, spec, true);
            return;
        }
        pad(out, num, spec, true);
    }

    /** strconv.FormatFloat for a non-negative value with 'e', 'f' or 'g' (prec -1 = shortest). */
    static String strconvFormat(double abs, char fmt, int prec) {
        BigDecimal exact = new BigDecimal(abs);
        boolean shortest = prec < 0;
        Digits digs;
        char lower = Character.toLowerCase(fmt);
        if (shortest) {
            digs = abs == 0 ? new Digits("", 0) : Digits.of(new BigDecimal(Double.toString(abs)));
            prec = switch (lower) {
                case 'e' -> Math.max(digs.d().length() - 1, 0);
                case 'f' -> Math.max(digs.d().length() - digs.dp(), 0);
                default -> digs.d().length();
            };
        } else {
            switch (lower) {
                case 'e' -> digs = Digits.of(exact.round(new MathContext(prec + 1, RoundingMode.HALF_EVEN)));
                case 'f' -> digs = Digits.of(exact.setScale(prec, RoundingMode.HALF_EVEN));
                default -> {
                    if (prec == 0) {
                        prec = 1;
                    }
                    digs = Digits.of(exact.round(new MathContext(prec, RoundingMode.HALF_EVEN)));
                }
            }
        }
        int nd = digs.d().length();
        switch (lower) {
            case 'e':
                return fmtE(digs, prec, fmt);
            case 'f':
                return fmtF(digs, prec);
            default:
                int eprec = prec;
                if (eprec > nd && nd >= digs.dp()) {
                    eprec = nd;
                }
                if (shortest) {
                    eprec = 6;
                }
                int exp = digs.dp() - 1;
                if (exp < -4 || exp >= eprec) {
                    if (prec > nd) {
                        prec = nd;
                    }
                    return fmtE(digs, prec - 1, fmt == 'G' ? 'E' : 'e');
                }
                if (prec > digs.dp()) {
                    prec = nd;
                }
                return fmtF(digs, Math.max(prec - digs.dp(), 0));
        }
    }

    private static String fmtE(Digits digs, int prec, char e) {
        StringBuilder sb = new StringBuilder();
        sb.append(digs.d().isEmpty() ? '0' : digs.d().charAt(0));
        if (prec > 0) {
            sb.append('.');
            for (int i = 1; i <= prec; i++) {
                sb.append(digs.at(i));
            }
        }
        sb.append(Character.isUpperCase(e) ? 'E' : 'e');
        int exp = digs.d().isEmpty() ? 0 : digs.dp() - 1;
        sb.append(exp < 0 ? '-' : '+');
        int a = Math.abs(exp);
        sb.append(a < 10 ? "0" + a : Integer.toString(a));
        return sb.toString();
    }

    private static String fmtF(Digits digs, int prec) {
        StringBuilder sb = new StringBuilder();
        if (digs.dp() > 0) {
            for (int i = 0; i < digs.dp(); i++) {
                sb.append(digs.at(i));
            }
        } else {
            sb.append('0');
        }
        if (prec > 0) {
            sb.append('.');
            for (int i = 1; i <= prec; i++) {
                sb.append(digs.at(digs.dp() + i - 1));
            }
        }
        return sb.toString();
    }
}
