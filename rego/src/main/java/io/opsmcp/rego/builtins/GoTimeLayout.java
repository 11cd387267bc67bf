package io.opsmcp.rego.builtins;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Go's reference-time layouts ("2006-01-02T15:04:05Z07:00") for time.parse_ns and time.format:
 * the elements of Go's {@code time/format.go} (years, months, days, hours, minutes, seconds,
 * fractions, AM/PM, weekday names, zone offsets and abbreviations).
 */
final class GoTimeLayout {
    private GoTimeLayout() {}

    private static final String[] TOKENS = {
        "January",
        "Jan",
        "Monday",
        "Mon",
        "MST",
        "2006",
        "002",
        "01",
        "02",
        "_2",
        "03",
        "04",
        "05",
        "06",
        "15",
        "Z07:00:00",
        "-07:00:00",
        "Z070000",
        "-070000",
        "Z07:00",
        "-07:00",
        "Z0700",
        "-0700",
        "Z07",
        "-07",
        "PM",
        "pm",
        "1",
        "2",
        "3",
        "4",
        "5"
    };

    /** A layout element: literal text or a Go token (fractions as ".000"/".999" etc.). */
    private record Elem(String token, String literal) {}

    private static List<Elem> lex(String layout) {
        List<Elem> out = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        outer:
        while (i < layout.length()) {
            char c = layout.charAt(i);
            if ((c == '.' || c == ',')
                    && i + 1 < layout.length()
                    && (layout.charAt(i + 1) == '0' || layout.charAt(i + 1) == '9')) {
                char d = layout.charAt(i + 1);
                int j = i + 1;
                while (j < layout.length() && layout.charAt(j) == d) {
                    j++;
                }
                if (j >= layout.length() || !Character.isDigit(layout.charAt(j))) {
                    flush(out, lit);
                    out.add(new Elem(layout.substring(i, j), null));
                    i = j;
                    continue;
                }
            }
            for (String t : TOKENS) {
                if (layout.startsWith(t, i)) {
                    if ((t.equals("Jan") || t.equals("Mon"))
                            && layout.startsWith(t.equals("Jan") ? "January" : "Monday", i)) {
                        continue;
                    }
                    flush(out, lit);
                    out.add(new Elem(t, null));
                    i += t.length();
                    continue outer;
                }
            }
            lit.append(c);
            i++;
        }
        flush(out, lit);
        return out;
    }

    private static void flush(List<Elem> out, StringBuilder lit) {
        if (lit.length() > 0) {
            out.add(new Elem(null, lit.toString()));
            lit.setLength(0);
        }
    }

    static String format(ZonedDateTime t, String layout) {
        StringBuilder sb = new StringBuilder();
        for (Elem e : lex(layout)) {
            if (e.literal() != null) {
                sb.append(e.literal());
                continue;
            }
            String tok = e.token();
            int offSec = t.getOffset().getTotalSeconds();
            switch (tok) {
                case "2006" -> sb.append(String.format("%04d", t.getYear()));
                case "06" -> sb.append(String.format("%02d", Math.floorMod(t.getYear(), 100)));
                case "January" -> sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case "Jan" -> sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case "01" -> sb.append(String.format("%02d", t.getMonthValue()));
                case "1" -> sb.append(t.getMonthValue());
                case "Monday" -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case "Mon" -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case "02" -> sb.append(String.format("%02d", t.getDayOfMonth()));
                case "_2" -> sb.append(String.format("%2d", t.getDayOfMonth()));
                case "2" -> sb.append(t.getDayOfMonth());
                case "002" -> sb.append(String.format("%03d", t.getDayOfYear()));
                case "15" -> sb.append(String.format("%02d", t.getHour()));
                case "03" -> sb.append(String.format("%02d", hour12(t.getHour())));
                case "3" -> sb.append(hour12(t.getHour()));
                case "04" -> sb.append(String.format("%02d", t.getMinute()));
                case "4" -> sb.append(t.getMinute());
                case "05" -> sb.append(String.format("%02d", t.getSecond()));
                case "5" -> sb.append(t.getSecond());
                case "PM" -> sb.append(t.getHour() >= 12 ? "PM" : "AM");
                case "pm" -> sb.append(t.getHour() >= 12 ? "pm" : "am");
                case "MST" -> sb.append(zoneAbbrev(t));
                default -> {
                    if (tok.startsWith(".") || tok.startsWith(",")) {
                        String frac = String.format("%09d", t.getNano()).substring(0, Math.min(9, tok.length() - 1));
                        if (tok.charAt(1) == '9') {
                            frac = frac.replaceFirst("0+$", "");
                            if (!frac.isEmpty()) {
                                sb.append(tok.charAt(0)).append(frac);
                            }
                        } else {
                            sb.append(tok.charAt(0)).append(frac);
                        }
                    } else if (tok.startsWith("Z") && offSec == 0) {
                        sb.append('Z');
                    } else {
                        sb.append(offset(offSec, tok));
                    }
                }
            }
        }
        return sb.toString();
    }

    private static int hour12(int h) {
        int r = h % 12;
        return r == 0 ? 12 : r;
    }

    private static String zoneAbbrev(ZonedDateTime t) {
        if (t.getZone() instanceof ZoneOffset o) {
            return o.getTotalSeconds() == 0 ? "UTC" : offset(o.getTotalSeconds(), "-0700");
        }
        String n = t.getZone().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
        return n.startsWith("GMT") && n.length() > 3 ? offset(t.getOffset().getTotalSeconds(), "-0700") : n;
    }

    private static String offset(int secs, String tok) {
        String sign = secs < 0 ? "-" : "+";
        int a = Math.abs(secs);
        String hh = String.format("%02d", a / 3600);
        String mm = String.format("%02d", (a / 60) % 60);
        String ss = String.format("%02d", a % 60);
        String t = tok.substring(1);
        return switch (t) {
            case "07:00:00" -> sign + hh + ":" + mm + ":" + ss;
            case "070000" -> sign + hh + mm + ss;
            case "07:00" -> sign + hh + ":" + mm;
            case "0700" -> sign + hh + mm;
            default -> sign + hh;
        };
    }

    /** Parses per Go's time.Parse; times without a zone are UTC. @throws BuiltinError as Go's ParseError text */
    static ZonedDateTime parse(String layout, String value) {
        int year = 1;
        int month = 1;
        int day = 1;
        int hour = 0;
        int min = 0;
        int sec = 0;
        int nano = 0;
        Integer pm = null;
        ZoneOffset zone = null;
        int pos = 0;
        List<Elem> elems = lex(layout);
        for (int k = 0; k < elems.size(); k++) {
            Elem e = elems.get(k);
            if (e.literal() != null) {
                if (!value.startsWith(e.literal(), pos)) {
                    throw parseError(layout, value, pos, e.literal());
                }
                pos += e.literal().length();
                continue;
            }
            String tok = e.token();
            int[] r;
            switch (tok) {
                case "2006" -> {
                    r = digits(value, pos, 4, 4, layout, tok);
                    year = r[0];
                    pos = r[1];
                }
                case "06" -> {
                    r = digits(value, pos, 2, 2, layout, tok);
                    year = r[0] + (r[0] >= 69 ? 1900 : 2000);
                    pos = r[1];
                }
                case "01", "1" -> {
                    r = digits(value, pos, tok.length(), 2, layout, tok);
                    month = r[0];
                    pos = r[1];
                }
                case "January", "Jan" -> {
                    Month found = null;
                    for (Month m : Month.values()) {
                        String name =
                                m.getDisplayName(tok.equals("Jan") ? TextStyle.SHORT : TextStyle.FULL, Locale.ENGLISH);
                        if (value.regionMatches(true, pos, name, 0, name.length())) {
                            found = m;
                            pos += name.length();
                            break;
                        }
                    }
                    if (found == null) {
                        throw parseError(layout, value, pos, tok);
                    }
                    month = found.getValue();
                }
                case "Monday", "Mon" -> {
                    boolean ok = false;
                    for (DayOfWeek d : DayOfWeek.values()) {
                        String name =
                                d.getDisplayName(tok.equals("Mon") ? TextStyle.SHORT : TextStyle.FULL, Locale.ENGLISH);
                        if (value.regionMatches(true, pos, name, 0, name.length())) {
                            pos += name.length();
                            ok = true;
                            break;
                        }
                    }
                    if (!ok) {
                        throw parseError(layout, value, pos, tok);
                    }
                }
                case "02", "2", "_2" -> {
                    if (tok.equals("_2") && pos < value.length() && value.charAt(pos) == ' ') {
                        pos++;
                    }
                    r = digits(value, pos, tok.equals("02") ? 2 : 1, 2, layout, tok);
                    day = r[0];
                    pos = r[1];
                }
                case "002" -> pos = digits(value, pos, 3, 3, layout, tok)[1];
                case "15" -> {
                    r = digits(value, pos, 1, 2, layout, tok);
                    hour = r[0];
                    pos = r[1];
                }
                case "03", "3" -> {
                    r = digits(value, pos, tok.length(), 2, layout, tok);
                    hour = r[0];
                    pos = r[1];
                }
                case "04", "4" -> {
                    r = digits(value, pos, tok.length(), 2, layout, tok);
                    min = r[0];
                    pos = r[1];
                }
                case "05", "5" -> {
                    r = digits(value, pos, tok.length(), 2, layout, tok);
                    sec = r[0];
                    pos = r[1];
                    // Go accepts a fractional second after the seconds even when the layout has none.
                    boolean nextIsFrac = k + 1 < elems.size()
                            && elems.get(k + 1).token() != null
                            && (elems.get(k + 1).token().startsWith(".")
                                    || elems.get(k + 1).token().startsWith(","));
                    if (!nextIsFrac
                            && pos + 1 < value.length()
                            && (value.charAt(pos) == '.' || value.charAt(pos) == ',')
                            && Character.isDigit(value.charAt(pos + 1))) {
                        int end = pos + 1;
                        while (end < value.length() && Character.isDigit(value.charAt(end))) {
                            end++;
                        }
                        nano = fraction(value.substring(pos + 1, end));
                        pos = end;
                    }
                }
                case "PM", "pm" -> {
                    String ap = value.length() >= pos + 2
                            ? value.substring(pos, pos + 2).toUpperCase(Locale.ROOT)
                            : "";
                    if (!ap.equals("AM") && !ap.equals("PM")) {
                        throw parseError(layout, value, pos, tok);
                    }
                    pm = ap.equals("PM") ? 1 : 0;
                    pos += 2;
                }
                case "MST" -> {
                    int end = pos;
                    while (end < value.length() && Character.isUpperCase(value.charAt(end))) {
                        end++;
                    }
                    if (end - pos < 3) {
                        throw parseError(layout, value, pos, tok);
                    }
                    String abbr = value.substring(pos, end);
                    if (abbr.equals("UTC") || abbr.equals("GMT")) {
                        zone = ZoneOffset.UTC;
                    }
                    pos = end;
                }
                default -> {
                    if (tok.startsWith(".") || tok.startsWith(",")) {
                        if (pos >= value.length() || (value.charAt(pos) != '.' && value.charAt(pos) != ',')) {
                            if (tok.charAt(1) == '9') {
                                break;
                            }
                            throw parseError(layout, value, pos, tok);
                        }
                        int end = pos + 1;
                        while (end < value.length() && Character.isDigit(value.charAt(end))) {
                            end++;
                        }
                        if (tok.charAt(1) == '0' && end - pos - 1 != tok.length() - 1) {
                            throw parseError(layout, value, pos, tok);
                        }
                        nano = fraction(value.substring(pos + 1, end));
                        pos = end;
                    } else {
                        if (tok.startsWith("Z") && pos < value.length() && value.charAt(pos) == 'Z') {
                            zone = ZoneOffset.UTC;
                            pos++;
                            break;
                        }
                        String pat = tok.substring(1);
                        int len = pat.length() + 1;
                        if (value.length() < pos + len || (value.charAt(pos) != '+' && value.charAt(pos) != '-')) {
                            throw parseError(layout, value, pos, tok);
                        }
                        String v = value.substring(pos, pos + len);
                        String digitsOnly = v.substring(1).replace(":", "");
                        if (!digitsOnly.chars().allMatch(Character::isDigit)) {
                            throw parseError(layout, value, pos, tok);
                        }
                        int hh = Integer.parseInt(digitsOnly.substring(0, 2));
                        int mm = digitsOnly.length() >= 4 ? Integer.parseInt(digitsOnly.substring(2, 4)) : 0;
                        int ss = digitsOnly.length() >= 6 ? Integer.parseInt(digitsOnly.substring(4, 6)) : 0;
                        int total = hh * 3600 + mm * 60 + ss;
                        try {
                            zone = ZoneOffset.ofTotalSeconds(v.charAt(0) == '-' ? -total : total);
                        } catch (java.time.DateTimeException ex) {
                            throw parseError(layout, value, pos, tok);
                        }
                        pos += len;
                    }
                }
            }
        }
        if (pos != value.length()) {
            throw new BuiltinError(
                    "parsing time " + GoQuote.quote(value) + ": extra text: " + GoQuote.quote(value.substring(pos)));
        }
        if (pm != null) {
            if (hour > 12) {
                throw new BuiltinError("parsing time " + GoQuote.quote(value) + ": hour out of range");
            }
            if (pm == 1 && hour < 12) {
                hour += 12;
            } else if (pm == 0 && hour == 12) {
                hour = 0;
            }
        }
        if (month < 1 || month > 12) {
            throw new BuiltinError("parsing time " + GoQuote.quote(value) + ": month out of range");
        }
        if (day < 1 || day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            throw new BuiltinError("parsing time " + GoQuote.quote(value) + ": day out of range");
        }
        if (hour > 23 || min > 59 || sec > 59) {
            throw new BuiltinError("parsing time " + GoQuote.quote(value) + ": "
                    + (hour > 23 ? "hour" : min > 59 ? "minute" : "second") + " out of range");
        }
        return ZonedDateTime.of(year, month, day, hour, min, sec, nano, zone == null ? ZoneOffset.UTC : zone);
    }

    private static int fraction(String digits) {
        String d = (digits + "000000000").substring(0, 9);
        return Integer.parseInt(d);
    }

    private static int[] digits(String value, int pos, int min, int max, String layout, String tok) {
        int end = pos;
        while (end < value.length() && end - pos < max && Character.isDigit(value.charAt(end))) {
            end++;
        }
        if (end - pos < min) {
            throw parseError(layout, value, pos, tok);
        }
        return new int[] {Integer.parseInt(value.substring(pos, end)), end};
    }

    private static BuiltinError parseError(String layout, String value, int pos, String elem) {
        return new BuiltinError(
                "parsing time " + GoQuote.quote(value) + " as " + GoQuote.quote(layout) + ": cannot parse "
                        + GoQuote.quote(value.substring(Math.min(pos, value.length()))) + " as " + GoQuote.quote(elem));
    }
}
