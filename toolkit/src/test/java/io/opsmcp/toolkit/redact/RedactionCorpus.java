package io.opsmcp.toolkit.redact;

import java.util.List;
import java.util.function.IntFunction;

/**
 * Test corpora for the redactor.
 *
 * <p>{@link #SECRETS}: secret-bearing forms, one per notation rather than per example. Sources: the rule classes
 * of the gitleaks default configuration (github.com/gitleaks/gitleaks, {@code config/gitleaks.toml}: prefixed
 * tokens, "generic-api-key" assignments, private keys, JWTs), GitLab's secret-detection rules
 * (gitlab.com/gitlab-org/security-products/analyzers/secrets, {@code gitleaks.toml}: glpat-, glptt-, GR1348941…),
 * the password options documented in the manuals of mysql(1) ({@code -pPASSWORD}, {@code --password=}),
 * sshpass(1), redis-cli, curl(1) ({@code -u user:password}) and wget(1), RFC 6265 ({@code Cookie},
 * {@code Set-Cookie}), RFC 9110 ({@code Authorization}), GitLab's {@code PRIVATE-TOKEN} header, assignment syntax
 * of shell, YAML, JSON, TOML, Ruby/PHP/Perl ({@code =>}), Go ({@code :=}), XML and ADO.NET connection strings, and
 * the issue's own findings (a {@code glpat-} prefix left by a cut process table column).
 *
 * <p>{@link #PATHOLOGICAL}: inputs built to defeat backtracking or repeated scanning: long runs of name characters,
 * keywords and separators repeated, unterminated quotes, PEM headers without ends, and so on. Each is a function
 * of the wanted length.
 */
final class RedactionCorpus {

    private RedactionCorpus() {}

    /** A text and the secret in it that must not survive. */
    record Case(String text, String secret) {}

    static final String S = "S3cr3t-Xq9";

    static final List<Case> SECRETS = List.of(
            // command-line flags and client options
            new Case("app --password " + S + " --verbose", S),
            new Case("app --password=" + S, S),
            new Case("app --db-password '" + S + " more'", S),
            new Case("deploy -password " + S, S),
            new Case("vault login -token=" + S, S),
            new Case("mysql -uroot -p" + S + " shop", S),
            new Case("  4242 mysql     0.0  0.1 /usr/bin/mysqldump -h db -u backup -p" + S + " --all-databases", S),
            new Case("mariadb --user=root --password=" + S + " -e 'select 1'", S),
            new Case("sshpass -p " + S + " ssh deploy@web-1", S),
            new Case("sshpass -p" + S + " scp a b", S),
            new Case("redis-cli -h cache -a " + S + " ping", S),
            new Case("curl -u admin:" + S + " https://example.com/api", S),
            new Case("curl --user=admin:" + S + " https://example.com/api", S),
            new Case("wget --password=" + S + " https://example.com/f", S),
            new Case(
                    "/usr/bin/gitlab-runner run --token glrt-" + "a1B2c3D4e5F6g7H8i9J0" + " --url x",
                    "glrt-a1B2c3D4e5F6g7H8i9J0"),
            // assignments in the usual notations
            new Case("password => '" + S + "'", S),
            new Case(":password => \"" + S + "\",", S),
            new Case("$config['db_password'] = '" + S + "';", S),
            new Case("password := \"" + S + "\"", S),
            new Case("export DB_PASSWORD=" + S, S),
            new Case("PGPASSWORD=" + S + " psql -h db", S),
            new Case("db:\n  password: " + S + "\n  host: db", S),
            new Case("api_key = \"" + S + "\"", S),
            new Case("apiKey: " + S, S),
            new Case("{\"client_secret\":\"" + S + "\",\"x\":1}", S),
            new Case("<password>" + S + "</password>", S),
            new Case("Server=db;Database=shop;User Id=sa;Password=" + S + ";", S),
            new Case("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG"),
            new Case("AWS_SESSION_TOKEN=FwoGZXIvYXdzEBYaDHhBTEXAMPLEtoken1234567", "FwoGZXIvYXdzEBYaDHhBTEXAMPLE"),
            new Case("?access_token=" + S + "&x=1", S),
            new Case("secret: '" + S + "'", S),
            // headers
            new Case("Authorization: Bearer " + S, S),
            new Case("curl -H 'authorization: Basic " + S + "' https://x", S),
            new Case("Proxy-Authorization: Basic " + S, S),
            new Case("Cookie: theme=dark; session=" + S, S),
            new Case("Set-Cookie: sid=" + S + "; Path=/; HttpOnly", S),
            new Case("curl -H \"Cookie: sid=" + S + "\" https://x", S),
            new Case("PRIVATE-TOKEN: " + S, S),
            new Case("X-Api-Key: " + S, S),
            new Case("x-vault-token: " + S, S),
            // tokens by prefix
            new Case("clone with glpat-xxxxxxxxxxxxxxxxxxxx please", "glpat-xxxxxxxxxxxx"),
            new Case("ghp_0123456789abcdefghijABCDEFGHIJ012345 in .netrc", "ghp_0123456789abcdef"),
            new Case("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "github_pat_11ABCDEFG"),
            new Case("SLACK=xoxb-1234567890-0987654321-abcdefABCDEF", "xoxb-1234567890"),
            new Case("key sk_live_51Habcdefghijklmnop0123", "sk_live_51Habcdef"),
            new Case("OPENAI sk-proj-abcdefghijklmnopqrstuvwxyz0123", "sk-proj-abcdefghij"),
            new Case("sk-ant-api03-abcdefghijklmnopqrstuvwxyz", "sk-ant-api03-abcdef"),
            new Case("maps AIzaSyA1234567890abcdefghijklmnopqrstuv", "AIzaSyA1234567890"),
            new Case(
                    "//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789",
                    "npm_abcdefghijklmnop"),
            new Case("VAULT_TOKEN hvs.CAESIabcdefghijklmnopqrstuv", "hvs.CAESIabcdefghij"),
            new Case("key id AKIAIOSFODNN7EXAMPLE in use", "AKIAIOSFODNN7EXAMPLE"),
            new Case(
                    "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U end",
                    "eyJhbGciOiJIUzI1NiJ9"),
            // tokens cut off by a column width, an ellipsis or an output cap
            new Case("1234 root /usr/bin/app --x glpat-abcd…", "glpat-abcd"),
            new Case("1234 root /usr/bin/app --x glpat-abcdefgh...", "glpat-abcdefgh"),
            new Case("last bytes before the cap: glpat-abcdefg", "glpat-abcdefg"),
            new Case("cap: ghp_0123456", "ghp_0123456"),
            // URLs and keys
            new Case("postgres://app:" + S + "@db:5432/x", S),
            new Case("redis://:" + S + "@cache:6379/0", S),
            new Case(
                    "before\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA\n-----END OPENSSH PRIVATE KEY-----\nafter",
                    "b3BlbnNzaC1rZXktdjEAAAA"),
            new Case("x\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA", "MIIEowIBAAKCAQEA"));

    /** Ordinary operations output that must come out unchanged. */
    static final List<String> ORDINARY = List.of(
            "Filesystem 1K-blocks Used Available Use% Mounted on\n/dev/vda 263174212 23000000 80000000 22% /",
            "max_tokens: 10, status: active (running)",
            "https://gitlab.example.com/shop/checkout",
            "ssh -p 2222 deploy@web-1",
            "ps -p 1234 -o pid,cmd",
            "Password policy updated for 3 users",
            "Authorization failed for user bob",
            "the secret sauce is patience",
            "token expired at 12:00, renew it",
            "http://127.0.0.1:8080/health",
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
            "Nov 30 12:00:01 web-1 nginx[123]: GET /index.html 200");

    /** Pathological inputs, each built to the length asked for. */
    static final List<Pathological> PATHOLOGICAL = List.of(
            new Pathological("word characters", n -> "a".repeat(n)),
            new Pathological("keyword repeated", n -> repeat("password", n)),
            new Pathological("keyword and space", n -> repeat("password ", n)),
            new Pathological("keyword and =", n -> repeat("password=", n)),
            new Pathological("token_ segments", n -> repeat("token_", n - 1) + "="),
            new Pathological("a=", n -> repeat("a=", n)),
            new Pathological("x-", n -> repeat("x-", n)),
            new Pathological("dashes", n -> "-".repeat(n)),
            new Pathological("PEM headers", n -> repeat("-----BEGIN RSA PRIVATE KEY", n)),
            new Pathological(
                    "PEM headers and one end", n -> repeat("-----BEGIN PRIVATE KEY-----", n - 24) + "-----END P"),
            new Pathological("scheme separators", n -> repeat("a://b:", n)),
            new Pathological("prefixes", n -> repeat("glpat-", n)),
            new Pathological("JWT starts", n -> repeat("eyJa.", n)),
            new Pathological("spaces after a key", n -> "password" + " ".repeat(n - 8)),
            new Pathological("unterminated quote", n -> "\"password\": \"" + "a".repeat(n - 13)),
            new Pathological("flags", n -> repeat("--password ", n)),
            new Pathological("mysql options", n -> "mysql " + repeat("-p ", n - 6)),
            new Pathological("xml keys", n -> repeat("<password>", n)),
            new Pathological("header names", n -> repeat("Authorization: ", n)),
            new Pathological("user info", n -> repeat("://user:", n)),
            new Pathological("mixed", n -> repeat("db_password_token-secret.api_key:=>'\"<--p ", n)),
            new Pathological("nested quotes after a key", n -> repeat("token=\"'`\\", n)),
            new Pathological("escaped quotes in a value", n -> "password=\"" + repeat("\\\"", n - 10)),
            new Pathological("long name before a keyword", n -> "a".repeat(n - 9) + "password="),
            new Pathological("keyword letter pairs", n -> repeat("pa", n)),
            new Pathological("case-folded keywords", n -> repeat("PA\u017F\u017FWORD=", n)),
            new Pathological("token prefix starts", n -> repeat(" AKIA", n)),
            new Pathological("client options", n -> "curl " + repeat("-u ", n - 5)),
            new Pathological("clients", n -> repeat("mysql ", n)),
            new Pathological(
                    "log line",
                    n -> repeat("2026-01-01T00:00:00Z level=info msg=\"request\" user=bob status=200 ", n)));

    /** A named generator of adversarial text. */
    record Pathological(String name, IntFunction<String> make) {}

    private static String repeat(String unit, int length) {
        StringBuilder sb = new StringBuilder(length + unit.length());
        while (sb.length() < length) {
            sb.append(unit);
        }
        sb.setLength(length);
        return sb.toString();
    }
}
