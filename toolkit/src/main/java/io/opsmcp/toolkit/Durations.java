package io.opsmcp.toolkit;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of every toolset (tool arguments such as {@code since} and {@code timeout}, and
 * configuration values written as durations).
 *
 * <p>Accepted (units in lower case; the published schema pattern is short because every tool with a duration
 * argument carries it in {@code tools/list}):
 * <ul>
 *   <li>one or more {@code <number><unit>} parts, largest unit first, no spaces: {@code 90s}, {@code 15m},
 *       {@code 15min}, {@code 2h}, {@code 1h30m}, {@code 3d}, {@code 1w}; units {@code s|sec|secs|second|seconds},
 *       {@code m|min|mins|minute|minutes}, {@code h|hr|hrs|hour|hours}, {@code d|day|days},
 *       {@code w|week|weeks};</li>
 *   <li>an ISO-8601 duration as {@link Duration#parse} reads it: {@code PT15M}, {@code P1DT2H}.</li>
 * </ul>
 * A {@link #since point in the past} is such a duration before now, an RFC 3339 date-time with offset
 * ({@code 2026-12-04T10:00:00Z}) or a date ({@code 2026-12-04}, UTC midnight).
 */
public final class Durations {

    /** ECMA-262 and Java compatible pattern of a duration, published in input schemas. */
    public static final String PATTERN = "^(?:(?:[0-9]{1,7}(?:s(?:ec(?:ond)?s?)?|m(?:in(?:ute)?s?)?|h(?:rs?|ours?)?"
            + "|d(?:ays?)?|w(?:eeks?)?)){1,5}|[Pp][0-9DTHMSdthms.]{2,40})$";

    /** Pattern of a {@link #since} value: a duration, an RFC 3339 date-time with offset, or a date. */
    public static final String SINCE_PATTERN = "^(?:" + PATTERN.substring(1, PATTERN.length() - 1)
            + "|[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[Tt ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\\.[0-9]{1,9})?)?"
            + "(?:[Zz]|[+-][0-9]{2}:[0-9]{2}))?)$";

    /**
     * The short pattern input schemas publish for a duration: it admits every duration (and some non-durations,
     * which {@link #parse} then refuses naming the grammar), for a tenth of {@link #PATTERN}'s bytes.
     */
    public static final String SCHEMA_PATTERN = "^[0-9Pp][0-9A-Za-z.]*$";

    /** The short pattern input schemas publish for a {@link #since} value (see {@link #SCHEMA_PATTERN}). */
    public static final String SINCE_SCHEMA_PATTERN = "^[0-9Pp][0-9A-Za-z.:+ -]*$";

    /** The one wording of the {@link #since} grammar in parameter descriptions. */
    public static final String SINCE_WORDING = "30m, 2h, 3d ago or RFC 3339 time/date.";

    /** How the grammar reads in an error message or a parameter description. */
    public static final String GRAMMAR = "a duration like 90s, 15m, 2h, 1h30m, 3d or PT15M";

    private static final Pattern PART = Pattern.compile("([0-9]{1,7})([a-z]+)");
    private static final Pattern WHOLE = Pattern.compile(PATTERN);
    private static final Pattern SINCE = Pattern.compile(SINCE_PATTERN);

    private Durations() {}

    /**
     * Parses a duration.
     *
     * @param field the argument or setting name, for the error
     * @throws IllegalArgumentException "field: must be a duration like ..." when the text is not one, or is
     *                                  negative or zero
     */
    public static Duration parse(String field, String text) {
        if (text == null || text.length() > 64 || !WHOLE.matcher(text).matches()) {
            throw new IllegalArgumentException(field + ": must be " + GRAMMAR);
        }
        Duration total;
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("p")) {
            try {
                total = Duration.parse(text.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(field + ": must be " + GRAMMAR);
            }
        } else {
            total = Duration.ZERO;
            Matcher m = PART.matcher(lower);
            int previousRank = -1;
            int end = 0;
            while (m.find()) {
                if (m.start() != end) {
                    throw new IllegalArgumentException(field + ": must be " + GRAMMAR);
                }
                end = m.end();
                Unit unit = Unit.of(m.group(2));
                if (unit == null || unit.ordinal() <= previousRank) {
                    throw new IllegalArgumentException(
                            field + ": must be " + GRAMMAR + " (units largest first, each once)");
                }
                previousRank = unit.ordinal();
                total = total.plus(unit.size.multipliedBy(Long.parseLong(m.group(1))));
            }
        }
        if (total.isNegative() || total.isZero()) {
            throw new IllegalArgumentException(field + ": must be a positive duration");
        }
        return total;
    }

    /**
     * Parses a point in the past: a duration before {@code now}, an RFC 3339 date-time or a date.
     *
     * @throws IllegalArgumentException naming the field when the text matches none of the forms or lies in the
     *                                  future
     */
    public static Instant since(String field, String text, Instant now) {
        if (text == null || text.length() > 64 || !SINCE.matcher(text).matches()) {
            throw new IllegalArgumentException(field + ": must be " + GRAMMAR
                    + ", an RFC 3339 time such as 2026-12-04T10:00:00Z, or a date such as 2026-12-04");
        }
        Instant at;
        if (Character.isDigit(text.charAt(0)) && text.length() >= 10 && text.charAt(4) == '-') {
            try {
                at = text.length() == 10
                        ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                        : OffsetDateTime.parse(
                                        text.replace(' ', 'T').replace('t', 'T').replace('z', 'Z'))
                                .toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(field + ": '" + text + "' is not a valid date or time");
            }
        } else {
            at = now.minus(parse(field, text));
        }
        if (at.isAfter(now)) {
            throw new IllegalArgumentException(field + ": must not be in the future");
        }
        return at;
    }

    /** Renders a duration the way the grammar reads it back: {@code 1h30m}, {@code 90s}, {@code 2d}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long seconds = d.getSeconds();
        for (Unit unit : Unit.values()) {
            long n = seconds / unit.size.getSeconds();
            if (n > 0 && unit != Unit.WEEK) {
                sb.append(n).append(unit.symbol);
                seconds -= n * unit.size.getSeconds();
            }
        }
        return sb.toString();
    }

    private enum Unit {
        WEEK(Duration.ofDays(7), "w"),
        DAY(Duration.ofDays(1), "d"),
        HOUR(Duration.ofHours(1), "h"),
        MINUTE(Duration.ofMinutes(1), "m"),
        SECOND(Duration.ofSeconds(1), "s");

        final Duration size;
        final String symbol;

        Unit(Duration size, String symbol) {
            this.size = size;
            this.symbol = symbol;
        }

        static Unit of(String word) {
            return switch (word) {
                case "w", "week", "weeks" -> WEEK;
                case "d", "day", "days" -> DAY;
                case "h", "hr", "hrs", "hour", "hours" -> HOUR;
                case "m", "min", "mins", "minute", "minutes" -> MINUTE;
                case "s", "sec", "secs", "second", "seconds" -> SECOND;
                default -> null;
            };
        }
    }
}
