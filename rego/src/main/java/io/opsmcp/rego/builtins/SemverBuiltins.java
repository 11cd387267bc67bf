package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.math.BigInteger;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** semver.is_valid and semver.compare under SemVer 2.0.0 (build metadata ignored for precedence). */
final class SemverBuiltins {
    private SemverBuiltins() {}

    private static final String NUM = "0|[1-9]\\d*";
    private static final String PRE_ID = "(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)";
    private static final Pattern SEMVER = Pattern.compile("(" + NUM + ")\\.(" + NUM + ")\\.(" + NUM + ")"
            + "(?:-(" + PRE_ID + "(?:\\." + PRE_ID + ")*))?"
            + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");

    static List<Builtin> all() {
        return List.of(
                Builtin.simple(
                        "semver.is_valid",
                        args(Type.ANY),
                        Type.BOOLEAN,
                        (a, c) -> BooleanValue.of(a.get(0) instanceof StringValue s
                                && SEMVER.matcher(s.value()).matches())),
                Builtin.simple("semver.compare", args(Type.STRING, Type.STRING), Type.NUMBER, SemverBuiltins::compare));
    }

    private static Matcher parse(List<Value> args, int index) {
        String s = Operands.string(args, index);
        Matcher m = SEMVER.matcher(s);
        if (!m.matches()) {
            throw new BuiltinError(
                    "operand " + (index + 1) + ": string " + GoQuote.quote(s) + " is not a valid SemVer");
        }
        return m;
    }

    private static Value compare(List<Value> args, BuiltinContext ctx) {
        Matcher a = parse(args, 0);
        Matcher b = parse(args, 1);
        for (int g = 1; g <= 3; g++) {
            int c = new BigInteger(a.group(g)).compareTo(new BigInteger(b.group(g)));
            if (c != 0) {
                return NumberValue.of(Integer.signum(c));
            }
        }
        return NumberValue.of(comparePre(a.group(4), b.group(4)));
    }

    private static int comparePre(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            boolean xn = x[i].chars().allMatch(Character::isDigit);
            boolean yn = y[i].chars().allMatch(Character::isDigit);
            int c;
            if (xn && yn) {
                c = new BigInteger(x[i]).compareTo(new BigInteger(y[i]));
            } else if (xn != yn) {
                c = xn ? -1 : 1;
            } else {
                c = x[i].compareTo(y[i]);
            }
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return Integer.compare(x.length, y.length);
    }
}
