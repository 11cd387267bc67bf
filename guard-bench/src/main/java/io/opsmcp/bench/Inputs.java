package io.opsmcp.bench;

/** Texts the redaction benchmarks run on, built to an exact length in characters. */
final class Inputs {

    private Inputs() {}

    /**
     * A text of {@code length} characters.
     *
     * <ul>
     *   <li>{@code clean_log}: ordinary log lines, no secret (what most results are)
     *   <li>{@code clean_table}: a {@code host_list}-like table (names, addresses, users, groups)
     *   <li>{@code clean_json}: a serialised tool result with nested objects and ordinary key names
     *   <li>{@code secrets}: log lines of which every second carries a secret (key=value, bearer header, URL
     *       password, vendor token, JWT)
     *   <li>{@code words}: {@code aaaa…}, one run of word characters (the old backtracking key=value rule was
     *       quadratic on it)
     *   <li>{@code separators}: {@code a=a=a=…}
     *   <li>{@code keys}: {@code password=password=…}: a keyword at every few characters
     *   <li>{@code quotes}: nested, unclosed quotes after keywords ({@code token="'"'"'…})
     *   <li>{@code mixed}: keywords, separators, quotes and flags over and over
     * </ul>
     */
    static String text(String kind, int length) {
        return switch (kind) {
            case "clean_log" ->
                repeat(
                        "2026-01-01T00:00:00Z web-1 app[42]: GET /api/orders 200 12ms user=bob region=eu-west-1\n"
                                + "2026-01-01T00:00:01Z web-1 app[42]: connected to postgres://db.internal:5432/shop"
                                + " pool=app size=10\n"
                                + "2026-01-01T00:00:02Z web-1 systemd[1]: Started nginx.service - A high performance"
                                + " web server and a reverse proxy server.\n",
                        length);
            case "clean_table" ->
                repeat(
                        "web-1        10.0.1.11:22   deploy   web      production\n"
                                + "db-primary   10.0.2.21:22   postgres database production\n"
                                + "cache-7      10.0.3.7:2222  ops      cache    staging\n",
                        length);
            case "clean_json" ->
                repeat(
                        "{\"name\":\"web-1\",\"address\":\"10.0.1.11\",\"port\":22,\"user\":\"deploy\","
                                + "\"host_group\":\"web\",\"environment\":\"production\",\"tags\":[\"nginx\","
                                + "\"app\"],\"status\":{\"active\":true,\"since\":\"2026-01-01T00:00:00Z\"}},",
                        length);
            case "secrets" ->
                repeat(
                        "2026-01-01T00:00:00Z web-1 app[42]: GET /api/orders 200 12ms user=bob\n"
                                + "2026-01-01T00:00:01Z web-1 app[42]: db_password=hunter2 api_key: 'abc123xyz'\n"
                                + "2026-01-01T00:00:02Z web-1 app[42]: ok\n"
                                + "2026-01-01T00:00:03Z web-1 app[42]: Authorization: Bearer glpat-"
                                + "abcdefghijklmnopqrst\n" // made up; split so no scanner takes it for a real token
                                + "2026-01-01T00:00:04Z web-1 app[42]: ok\n"
                                + "2026-01-01T00:00:05Z web-1 app[42]: postgres://app:s3cr3t@db:5432/shop"
                                + " AKIAIOSFODNN7EXAMPLE eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl\n",
                        length);
            case "words" -> "a".repeat(length);
            case "separators" -> repeat("a=", length);
            case "keys" -> repeat("password=", length);
            case "quotes" -> repeat("token=\"'`\\", length);
            case "mixed" -> repeat("db_password_token-secret.api_key:=>'\"<--p ", length);
            default -> throw new IllegalArgumentException("unknown input " + kind);
        };
    }

    private static String repeat(String unit, int length) {
        StringBuilder sb = new StringBuilder(length + unit.length());
        while (sb.length() < length) {
            sb.append(unit);
        }
        sb.setLength(length);
        return sb.toString();
    }
}
