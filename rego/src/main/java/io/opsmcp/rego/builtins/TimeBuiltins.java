package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.ANY;
import static io.opsmcp.rego.builtins.Type.NUMBER;
import static io.opsmcp.rego.builtins.Type.STRING;
import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * time.* built-ins as OPA's {@code time.go}: timestamps are int64 nanoseconds since the epoch,
 * optionally paired with an IANA zone name (and a layout for time.format) as [ns, "tz", "layout"];
 * results outside int64 nanoseconds raise "time outside of valid range".
 */
final class TimeBuiltins {
    private TimeBuiltins() {}

    private static final BigInteger NANOS = BigInteger.valueOf(1_000_000_000L);
    private static final BigInteger MIN_NS = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX_NS = BigInteger.valueOf(Long.MAX_VALUE);
    private static final Map<String, String> NAMED_LAYOUTS = Map.of(
            "ANSIC", "Mon Jan _2 15:04:05 2006",
            "UnixDate", "Mon Jan _2 15:04:05 MST 2006",
            "RubyDate", "Mon Jan 02 15:04:05 -0700 2006",
            "RFC822", "02 Jan 06 15:04 MST",
            "RFC822Z", "02 Jan 06 15:04 -0700",
            "RFC850", "Monday, 02-Jan-06 15:04:05 MST",
            "RFC1123", "Mon, 02 Jan 2006 15:04:05 MST",
            "RFC1123Z", "Mon, 02 Jan 2006 15:04:05 -0700",
            "RFC3339", "2006-01-02T15:04:05Z07:00",
            "RFC3339Nano", "2006-01-02T15:04:05.999999999Z07:00");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d*)(?:\\.(\\d*))?(ns|us|µs|μs|ms|s|m|h)");

    static List<Builtin> all() {
        Type time = Type.anyOf(NUMBER, Type.array(ANY));
        return List.of(
                new Builtin("time.now_ns", args(), NUMBER, true, (BuiltinFunction.Simple)
                        (a, c) -> NumberValue.of(c.nowNs())),
                Builtin.simple(
                        "time.parse_rfc3339_ns",
                        args(STRING),
                        NUMBER,
                        (a, c) -> nanos(GoTimeLayout.parse(NAMED_LAYOUTS.get("RFC3339"), Operands.string(a, 0)))),
                Builtin.simple("time.parse_ns", args(STRING, STRING), NUMBER, TimeBuiltins::parseNs),
                Builtin.simple(
                        "time.parse_duration_ns",
                        args(STRING),
                        NUMBER,
                        (a, c) -> NumberValue.of(parseDuration(Operands.string(a, 0)))),
                Builtin.simple("time.format", args(time), STRING, TimeBuiltins::format),
                Builtin.simple("time.date", args(time), Type.array(NUMBER), (a, c) -> {
                    ZonedDateTime t = zoned(a.get(0), c);
                    return ArrayValue.of(
                            NumberValue.of(t.getYear()),
                            NumberValue.of(t.getMonthValue()),
                            NumberValue.of(t.getDayOfMonth()));
                }),
                Builtin.simple("time.clock", args(time), Type.array(NUMBER), (a, c) -> {
                    ZonedDateTime t = zoned(a.get(0), c);
                    return ArrayValue.of(
                            NumberValue.of(t.getHour()), NumberValue.of(t.getMinute()), NumberValue.of(t.getSecond()));
                }),
                Builtin.simple(
                        "time.weekday",
                        args(time),
                        STRING,
                        (a, c) -> StringValue.of(
                                zoned(a.get(0), c).getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH))),
                Builtin.simple("time.add_date", args(time, NUMBER, NUMBER, NUMBER), NUMBER, TimeBuiltins::addDate),
                Builtin.simple("time.diff", args(time, time), Type.array(NUMBER), TimeBuiltins::diff));
    }

    private static Value nanos(ZonedDateTime t) {
        BigInteger ns = BigInteger.valueOf(t.toEpochSecond()).multiply(NANOS).add(BigInteger.valueOf(t.getNano()));
        if (ns.compareTo(MIN_NS) < 0 || ns.compareTo(MAX_NS) > 0) {
            throw new BuiltinError("time outside of valid range");
        }
        return NumberValue.of(ns);
    }

    private static Value parseNs(List<Value> args, BuiltinContext ctx) {
        String layout = Operands.string(args, 0);
        String value = Operands.string(args, 1);
        return nanos(GoTimeLayout.parse(NAMED_LAYOUTS.getOrDefault(layout, layout), value));
    }

    /** The [ns, tz, layout] operand as a zoned time; layout returned via {@link #layoutOf}. */
    private static ZonedDateTime zoned(Value v, BuiltinContext ctx) {
        Value ns;
        ZoneId zone = ZoneOffset.UTC;
        if (v instanceof ArrayValue a) {
            if (a.size() == 0) {
                throw BuiltinTypeError.operand(1, "either number (ns) or [number (ns), string (tz)]", v);
            }
            ns = a.get(0);
            if (!(ns instanceof NumberValue)) {
                throw BuiltinTypeError.operand(1, "number", ns);
            }
            if (a.size() > 1) {
                if (!(a.get(1) instanceof StringValue tz)) {
                    throw BuiltinTypeError.operand(1, "string", a.get(1));
                }
                zone = zoneOf(tz.value(), ctx);
            }
            if (a.size() > 2 && !(a.get(2) instanceof StringValue)) {
                throw BuiltinTypeError.operand(1, "string", a.get(2));
            }
        } else if (v instanceof NumberValue) {
            ns = v;
        } else {
            throw BuiltinTypeError.operand(1, "either number (ns) or [number (ns), string (tz)]", v);
        }
        BigDecimal d = ((NumberValue) ns).bigDecimal();
        long n;
        try {
            n = d.longValueExact();
        } catch (ArithmeticException e) {
            throw new BuiltinError("timestamp too big");
        }
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
        return instant.atZone(zone);
    }

    private static ZoneId zoneOf(String name, BuiltinContext ctx) {
        switch (name) {
            case "", "UTC":
                return ZoneOffset.UTC;
            case "Local":
                return ctx.localZone();
            default:
                try {
                    return ZoneId.of(name);
                } catch (DateTimeException e) {
                    throw new BuiltinError("unknown time zone " + name);
                }
        }
    }

    private static Value format(List<Value> args, BuiltinContext ctx) {
        Value v = args.get(0);
        ZonedDateTime t = zoned(v, ctx);
        String layout = v instanceof ArrayValue a && a.size() > 2 ? ((StringValue) a.get(2)).value() : "";
        if (layout.isEmpty()) {
            layout = NAMED_LAYOUTS.get("RFC3339Nano");
        } else {
            layout = NAMED_LAYOUTS.getOrDefault(layout, layout);
        }
        return StringValue.of(GoTimeLayout.format(t, layout));
    }

    private static Value addDate(List<Value> args, BuiltinContext ctx) {
        ZonedDateTime t = zoned(args.get(0), ctx);
        long years = Operands.integer(args, 1);
        long months = Operands.integer(args, 2);
        long days = Operands.integer(args, 3);
        // Go's AddDate normalises overflowing days (Jan 31 + 1 month = Mar 3), unlike java.time's clamping.
        ZonedDateTime base = t.withDayOfMonth(1).plusYears(years).plusMonths(months);
        ZonedDateTime result = base.plusDays(t.getDayOfMonth() - 1L + days);
        return nanos(result);
    }

    private static Value diff(List<Value> args, BuiltinContext ctx) {
        ZonedDateTime t1 = zoned(args.get(0), ctx);
        ZonedDateTime t2 = zoned(args.get(1), ctx).withZoneSameInstant(t1.getZone());
        if (t1.isAfter(t2)) {
            ZonedDateTime tmp = t1;
            t1 = t2;
            t2 = tmp;
        }
        int year = t2.getYear() - t1.getYear();
        int month = t2.getMonthValue() - t1.getMonthValue();
        int day = t2.getDayOfMonth() - t1.getDayOfMonth();
        int hour = t2.getHour() - t1.getHour();
        int min = t2.getMinute() - t1.getMinute();
        int sec = t2.getSecond() - t1.getSecond();
        if (sec < 0) {
            sec += 60;
            min--;
        }
        if (min < 0) {
            min += 60;
            hour--;
        }
        if (hour < 0) {
            hour += 24;
            day--;
        }
        if (day < 0) {
            // Days in t1's month, computed as Go does via time.Date(y1, M1, 32) normalisation.
            day += t1.toLocalDate().lengthOfMonth();
            month--;
        }
        if (month < 0) {
            month += 12;
            year--;
        }
        return ArrayValue.of(
                NumberValue.of(year),
                NumberValue.of(month),
                NumberValue.of(day),
                NumberValue.of(hour),
                NumberValue.of(min),
                NumberValue.of(sec));
    }

    /** Go's time.ParseDuration. */
    static long parseDuration(String s) {
        String orig = s;
        BuiltinError invalid = new BuiltinError("time: invalid duration " + GoQuote.quote(orig));
        boolean neg = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            neg = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw invalid;
        }
        BigDecimal total = BigDecimal.ZERO;
        Matcher m = DURATION_PART.matcher(s);
        int pos = 0;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) {
                if (!m.find(pos) || m.start() != pos) {
                    Matcher unit = Pattern.compile("[\\d.]+([^\\d.]*)").matcher(s.substring(pos));
                    if (unit.lookingAt() && !unit.group(1).isEmpty()) {
                        throw new BuiltinError("time: unknown unit " + GoQuote.quote(unit.group(1)) + " in duration "
                                + GoQuote.quote(orig));
                    }
                    if (unit.lookingAt()) {
                        throw new BuiltinError("time: missing unit in duration " + GoQuote.quote(orig));
                    }
                    throw invalid;
                }
            }
            String whole = m.group(1);
            String frac = m.group(2);
            if (whole.isEmpty() && (frac == null || frac.isEmpty())) {
                throw invalid;
            }
            BigDecimal n = new BigDecimal(
                    (whole.isEmpty() ? "0" : whole) + (frac == null || frac.isEmpty() ? "" : "." + frac));
            long unitNs = switch (m.group(3)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            total = total.add(n.multiply(BigDecimal.valueOf(unitNs)));
            pos = m.end();
        }
        BigInteger ns = total.toBigInteger();
        if (ns.compareTo(BigInteger.valueOf(Long.MAX_VALUE)) > 0) {
            throw invalid;
        }
        return neg ? -ns.longValueExact() : ns.longValueExact();
    }
}
