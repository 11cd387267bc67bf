package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.NUMBER;
import static io.opsmcp.rego.builtins.Type.STRING;
import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.Value;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * units.parse and units.parse_bytes as OPA's {@code parse_units.go}/{@code parse_bytes.go}:
 * exact decimal arithmetic (units.parse prints non-integers with 10 decimals as big.Rat.FloatString,
 * the milli factor being the float64 0.001), parse_bytes truncates to an integer.
 */
final class UnitsBuiltins {
    private UnitsBuiltins() {}

    private static final int MAX_EXPONENT_DIGITS = 6;
    private static final BigDecimal MILLI = new BigDecimal(0.001);

    private static final Map<String, BigDecimal> SI = Map.ofEntries(
            Map.entry("", BigDecimal.ONE),
            Map.entry("k", pow(1000, 1)),
            Map.entry("K", pow(1000, 1)),
            Map.entry("ki", pow(1024, 1)),
            Map.entry("Ki", pow(1024, 1)),
            Map.entry("M", pow(1000, 2)),
            Map.entry("mi", pow(1024, 2)),
            Map.entry("Mi", pow(1024, 2)),
            Map.entry("g", pow(1000, 3)),
            Map.entry("G", pow(1000, 3)),
            Map.entry("gi", pow(1024, 3)),
            Map.entry("Gi", pow(1024, 3)),
            Map.entry("t", pow(1000, 4)),
            Map.entry("T", pow(1000, 4)),
            Map.entry("ti", pow(1024, 4)),
            Map.entry("Ti", pow(1024, 4)),
            Map.entry("p", pow(1000, 5)),
            Map.entry("P", pow(1000, 5)),
            Map.entry("pi", pow(1024, 5)),
            Map.entry("Pi", pow(1024, 5)),
            Map.entry("e", pow(1000, 6)),
            Map.entry("E", pow(1000, 6)),
            Map.entry("ei", pow(1024, 6)),
            Map.entry("Ei", pow(1024, 6)));

    private static final Map<String, BigDecimal> BYTES = Map.ofEntries(
            Map.entry("", BigDecimal.ONE),
            Map.entry("kb", pow(1000, 1)),
            Map.entry("k", pow(1000, 1)),
            Map.entry("kib", pow(1024, 1)),
            Map.entry("ki", pow(1024, 1)),
            Map.entry("mb", pow(1000, 2)),
            Map.entry("m", pow(1000, 2)),
            Map.entry("mib", pow(1024, 2)),
            Map.entry("mi", pow(1024, 2)),
            Map.entry("gb", pow(1000, 3)),
            Map.entry("g", pow(1000, 3)),
            Map.entry("gib", pow(1024, 3)),
            Map.entry("gi", pow(1024, 3)),
            Map.entry("tb", pow(1000, 4)),
            Map.entry("t", pow(1000, 4)),
            Map.entry("tib", pow(1024, 4)),
            Map.entry("ti", pow(1024, 4)),
            Map.entry("pb", pow(1000, 5)),
            Map.entry("p", pow(1000, 5)),
            Map.entry("pib", pow(1024, 5)),
            Map.entry("pi", pow(1024, 5)),
            Map.entry("eb", pow(1000, 6)),
            Map.entry("e", pow(1000, 6)),
            Map.entry("eib", pow(1024, 6)),
            Map.entry("ei", pow(1024, 6)));

    static List<Builtin> all() {
        return List.of(
                Builtin.simple("units.parse", args(STRING), NUMBER, UnitsBuiltins::parse),
                Builtin.simple("units.parse_bytes", args(STRING), NUMBER, UnitsBuiltins::parseBytes));
    }

    private static BigDecimal pow(int base, int n) {
        return BigDecimal.valueOf(base).pow(n);
    }

    private static Value parse(List<Value> args, BuiltinContext ctx) {
        String name = "units.parse";
        String s = Operands.string(args, 0).replace("\"", "");
        if (s.contains(" ")) {
            throw new BuiltinError(name + ": spaces not allowed in resource strings");
        }
        String[] nu = split(s, name);
        if (nu[0].isEmpty()) {
            throw new BuiltinError(name + ": no amount provided");
        }
        String unit = nu[1].length() > 1 ? nu[1].charAt(0) + nu[1].substring(1).toLowerCase(Locale.ROOT) : nu[1];
        BigDecimal factor = unit.equals("m") ? MILLI : SI.get(unit);
        if (factor == null) {
            throw new BuiltinError(name + ": unit " + unit + " not recognized");
        }
        BigDecimal x =
                number(nu[0], name + ": could not parse amount to a number").multiply(factor);
        if (x.signum() == 0 || x.stripTrailingZeros().scale() <= 0) {
            return NumberValue.of(x.setScale(0, RoundingMode.UNNECESSARY).toBigInteger());
        }
        return NumberValue.of(x.setScale(10, RoundingMode.HALF_UP));
    }

    private static Value parseBytes(List<Value> args, BuiltinContext ctx) {
        String name = "units.parse_bytes";
        String s = Operands.string(args, 0).toLowerCase(Locale.ROOT).replace("\"", "");
        if (s.contains(" ")) {
            throw new BuiltinError(name + ": spaces not allowed in resource strings");
        }
        String[] nu = split(s, name);
        if (nu[0].isEmpty()) {
            throw new BuiltinError(name + ": no byte amount provided");
        }
        BigDecimal factor = BYTES.get(nu[1]);
        if (factor == null) {
            throw new BuiltinError(name + ": byte unit " + nu[1] + " not recognized");
        }
        BigDecimal x = number(nu[0], name + ": could not parse byte amount to a number")
                .multiply(factor);
        return NumberValue.of(x.setScale(0, RoundingMode.DOWN).toBigInteger());
    }

    private static BigDecimal number(String s, String error) {
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw new BuiltinError(error);
        }
    }

    /** OPA's extractNumAndUnit: the number part may use scientific notation with at most 6 exponent digits. */
    private static String[] split(String s, String name) {
        int firstNonNum = -1;
        for (int i = 0; i < s.length(); i++) {
            char r = s.charAt(i);
            boolean num = Character.isDigit(r) || r == '.';
            if (!num && r != 'e' && r != 'E' && r != '+' && r != '-') {
                firstNonNum = i;
                break;
            }
            if (r == 'e' || r == 'E') {
                if (i == s.length() - 1
                        || (!Character.isDigit(s.charAt(i + 1)) && s.charAt(i + 1) != '+' && s.charAt(i + 1) != '-')) {
                    firstNonNum = i;
                    break;
                }
                if (s.charAt(i + 1) == '+' || s.charAt(i + 1) == '-') {
                    i++;
                }
                int end = i + 1;
                while (end < s.length() && Character.isDigit(s.charAt(end))) {
                    end++;
                }
                if (end - (i + 1) > MAX_EXPONENT_DIGITS) {
                    throw new BuiltinError(name + ": exponent too large");
                }
            }
        }
        if (firstNonNum == -1) {
            return new String[] {s, ""};
        }
        return new String[] {s.substring(0, firstNonNum), s.substring(firstNonNum)};
    }
}
