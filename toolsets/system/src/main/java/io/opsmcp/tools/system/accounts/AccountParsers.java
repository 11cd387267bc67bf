package io.opsmcp.tools.system.accounts;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for the outputs of the account commands, run with {@code LC_ALL=C} where the output has dates. Formats
 * as printed by shadow-utils 4.13 ({@code passwd -S}, {@code chage -l}, {@code lastlog -u}), Linux-PAM 1.5
 * ({@code faillock --user}), Linux-PAM 1.3 ({@code pam_tally2 --user}) and util-linux 2.38
 * ({@code last --time-format iso}); outputs captured on Debian 12 are in the tests.
 */
final class AccountParsers {

    private AccountParsers() {}

    /**
     * One {@code passwd} database entry (getent(1), passwd(5)); the password field and GECOS are left out.
     *
     * @param uid numeric user id
     */
    record PasswdEntry(String name, long uid, long gid, String home, String shell) {}

    /**
     * {@code passwd -S USER}: {@code name status last-change min max warn inactive} (passwd(1)).
     *
     * @param code       {@code L}/{@code LK} locked password, {@code NP} no password, {@code P}/{@code PS} usable
     * @param lastChange date of the last password change as printed ({@code 2026-11-30}, older versions
     *                   {@code 11/30/2026}), or {@code null}
     */
    record PasswordStatus(String code, String lastChange) {
        /** {@code locked}, {@code no_password} or {@code usable}. */
        String state() {
            return switch (code) {
                case "L", "LK" -> "locked";
                case "NP" -> "no_password";
                default -> "usable";
            };
        }
    }

    /**
     * One record of {@code faillock --user USER}.
     *
     * @param when   local time {@code yyyy-MM-dd HH:mm:ss}
     * @param type   {@code RHOST}, {@code TTY} or {@code SVC}
     * @param source remote host, terminal or service
     * @param valid  counts towards the lock ({@code V}); {@code I} records are older than {@code unlock_time}
     */
    record Failure(String when, String type, String source, boolean valid) {}

    /**
     * One last login.
     *
     * @param time when, as printed ({@code lastlog}: {@code Sat Dec  5 03:00:00 +0000 2026}; {@code last}: ISO 8601)
     * @param port terminal, e.g. {@code pts/0}; may be empty
     * @param from remote host; may be empty
     */
    record Login(String time, String port, String from) {}

    /** {@code name:x:uid:gid:gecos:home:shell}; {@code null} when the line is not a passwd entry. */
    static PasswdEntry passwd(String out) {
        String line = out.strip();
        int nl = line.indexOf('\n');
        if (nl >= 0) {
            line = line.substring(0, nl);
        }
        String[] f = line.split(":", -1);
        if (f.length != 7) {
            return null;
        }
        try {
            return new PasswdEntry(f[0], Long.parseLong(f[2]), Long.parseLong(f[3]), f[5], f[6]);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The status of {@code passwd -S}; {@code null} when the output does not have the documented fields. */
    static PasswordStatus passwordStatus(String out) {
        String[] f = out.strip().split("\\s+");
        if (f.length < 2 || !f[1].matches("^(L|LK|NP|P|PS)$")) {
            return null;
        }
        String changed = f.length > 2 && f[2].matches("^[0-9][0-9/-]+$") ? f[2] : null;
        return new PasswordStatus(f[1], changed);
    }

    private static final Map<String, String> CHAGE_KEYS = Map.of(
            "Last password change", "last_password_change",
            "Password expires", "password_expires",
            "Password inactive", "password_inactive",
            "Account expires", "account_expires",
            "Minimum number of days between password change", "min_days",
            "Maximum number of days between password change", "max_days",
            "Number of days of warning before password expires", "warn_days");

    private static final DateTimeFormatter CHAGE_DATE = DateTimeFormatter.ofPattern("MMM d, yyyy", Locale.ROOT);

    /**
     * {@code chage -l USER} (C locale): {@code Key<TAB>: value} lines. Dates ({@code May 20, 2025}) become ISO dates;
     * {@code never} and {@code password must be changed} stay as words; day counts stay numbers as text.
     */
    static Map<String, String> chage(String out) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : out.lines().toList()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = CHAGE_KEYS.get(line.substring(0, colon).strip());
            if (key == null) {
                continue;
            }
            fields.put(key, chageValue(line.substring(colon + 1).strip()));
        }
        return fields;
    }

    private static String chageValue(String value) {
        try {
            return LocalDate.parse(value.replaceAll("\\s+", " "), CHAGE_DATE).toString();
        } catch (DateTimeParseException notADate) {
            return value;
        }
    }

    /** Whether {@code chage}'s {@code account_expires} date is on or before {@code today}. */
    static boolean accountExpired(Map<String, String> chage, LocalDate today) {
        String expires = chage.get("account_expires");
        if (expires == null || !expires.matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")) {
            return false;
        }
        return !LocalDate.parse(expires).isAfter(today);
    }

    private static final Pattern FAILLOCK =
            Pattern.compile("^([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2})\\s+(\\S+)\\s+(.*?)\\s*([VI])$");

    /** The records of {@code faillock --user USER} (the user line and the header are skipped). */
    static List<Failure> faillock(String out) {
        List<Failure> records = new ArrayList<>();
        for (String line : out.lines().toList()) {
            Matcher m = FAILLOCK.matcher(line.strip());
            if (m.matches()) {
                records.add(new Failure(m.group(1), m.group(2), m.group(3).strip(), "V".equals(m.group(4))));
            }
        }
        return records;
    }

    /**
     * {@code pam_tally2 --user USER}: {@code Login Failures Latest failure From}; the count, or {@code null} when
     * there is no row for a user.
     */
    static Integer pamTally2(String out) {
        for (String line : out.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 2 && !"Login".equals(f[0]) && f[1].matches("^[0-9]{1,9}$")) {
                return Integer.parseInt(f[1]);
            }
        }
        return null;
    }

    /**
     * {@code lastlog -u USER}: a header {@code Username Port From Latest} and one row, cut at the header's column
     * starts; an empty list for {@code **Never logged in**}; {@code null} when there is no row.
     */
    static List<Login> lastlog(String out) {
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        if (lines.size() < 2 || !lines.get(0).startsWith("Username")) {
            return null;
        }
        String header = lines.get(0);
        String row = lines.get(1);
        if (row.contains("**Never logged in**")) {
            return List.of();
        }
        int port = header.indexOf("Port");
        int from = header.indexOf("From");
        int latest = header.indexOf("Latest");
        if (port < 0 || from < 0 || latest < 0 || row.length() <= latest) {
            return null;
        }
        return List.of(new Login(row.substring(latest).strip(), cut(row, port, from), cut(row, from, latest)));
    }

    private static String cut(String row, int from, int to) {
        return row.length() <= from
                ? ""
                : row.substring(from, Math.min(to, row.length())).strip();
    }

    private static final Pattern LAST =
            Pattern.compile("^(\\S+)\\s+(\\S+)\\s+([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}[+-][0-9:]{4,5})\\b.*$");

    /** {@code last -R -w -n N --time-format iso USER}: user, terminal, login time; {@code wtmp begins} ignored. */
    static List<Login> last(String out, String user) {
        List<Login> logins = new ArrayList<>();
        for (String line : out.lines().toList()) {
            Matcher m = LAST.matcher(line.strip());
            if (m.matches() && m.group(1).equals(user)) {
                logins.add(new Login(m.group(3), m.group(2), ""));
            }
        }
        return logins;
    }
}
