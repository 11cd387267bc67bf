package io.opsmcp.toolkit.redact;

import io.opsmcp.core.redact.RedactionRule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Removes credentials from text and JSON before it leaves the server (tool results, logs, audit records,
 * error messages). Every secret is replaced with {@value #MARK}; the surrounding text is kept so that output
 * stays readable.
 *
 * <p>Recognised (rule classes after the gitleaks default rules, github.com/gitleaks/gitleaks
 * {@code config/gitleaks.toml}, and GitLab's secret-detection rules): assignments whose key names a secret in any
 * of the usual notations ({@code password=x}, {@code "token": "x"}, {@code password => 'x'}, {@code secret := x},
 * {@code <password>x</password>}, {@code --password x}, {@code --password=x}); HTTP credential headers to the end
 * of the line ({@code Authorization}, {@code Proxy-Authorization}, {@code Cookie}, {@code Set-Cookie},
 * {@code Private-Token}, {@code X-Api-Key}, …); password options of common command-line clients
 * ({@code mysql -pX}, {@code sshpass -p X}, {@code redis-cli -a X}, {@code curl -u user:X}); tokens by their
 * documented prefixes (GitHub, Slack, Stripe, OpenAI, Anthropic, npm, PyPI, Docker Hub, Vault, …) and those the
 * toolsets contribute ({@link RedactionRule}: GitLab tokens, AWS access key ids, their credential headers), JWTs (RFC 7519 compact form), PEM private key blocks, and {@code user:password@} in URLs. A token
 * cut off at the end of the text (a capped output) is removed even when shorter than its full form. In JSON, any
 * member whose name looks like a secret has its whole value replaced.
 *
 * <p>Linear time on any input: one left-to-right scan; at each position only a bounded amount of look-around
 * is done (names ≤ {@value #MAX_NAME} characters, separators ≤ {@value #MAX_GAP}), and a matched value is skipped
 * as a whole, so no character is examined more than a constant number of times. No regular expression runs on the
 * input (a backtracking key=value pattern cost seconds of CPU on 24 KB of {@code aaaa…}).
 *
 * <p>Contributed rules join the same tables as the built-in ones (prefixes indexed by their first character), so
 * they add no pass over the text.
 *
 * <p>Immutable and thread-safe.
 */
public final class Redactor {

    /** What a secret is replaced with. */
    public static final String MARK = "[REDACTED]";

    /** Longest key name considered, on either side of the keyword. */
    static final int MAX_NAME = 64;
    /** Longest run of spaces/quotes between a key and its value. */
    static final int MAX_GAP = 16;

    /**
     * Words that make a key name a secret's name, lower case. A key contains one as a segment: {@code db_password},
     * {@code client-secret}, {@code x-auth-token} (not {@code max_tokens}: a keyword must be followed by the end of
     * the name or a separator).
     */
    static final List<String> KEYWORDS = List.of(
            "password",
            "passwd",
            "passphrase",
            "pwd",
            "secret",
            "token",
            "apikey",
            "api_key",
            "api-key",
            "access_key",
            "access-key",
            "accesskey",
            "private_key",
            "private-key",
            "privatekey",
            "credential",
            "credentials",
            "authorization",
            "cookie",
            "sessionid",
            "session_id",
            "client_secret",
            "auth");

    /**
     * {@link #KEYWORDS} by their first two letters, at {@code (first - 'a') * 128 + second} ({@code null}: none).
     * Most positions of ordinary text start no keyword: two table reads reject them instead of a case-insensitive
     * comparison with every keyword of the same first letter.
     */
    private static final String[][] KEYWORDS_BY_PAIR = new String[26 * 128][];

    static {
        for (String k : KEYWORDS) {
            int slot = (k.charAt(0) - 'a') * 128 + k.charAt(1);
            String[] old = KEYWORDS_BY_PAIR[slot] == null ? new String[0] : KEYWORDS_BY_PAIR[slot];
            String[] more = java.util.Arrays.copyOf(old, old.length + 1);
            more[old.length] = k;
            KEYWORDS_BY_PAIR[slot] = more;
        }
    }

    /**
     * The first three letters of the {@link #KEYWORDS} (all letters), bit {@code ((a * 26) + b) * 26 + c} for letters
     * {@code a b c} counted from {@code 'a'}. Ordinary words share a keyword's first two letters often ({@code se}rver,
     * {@code co}nnected, {@code pr}oduction); the third letter rejects them without a case-insensitive comparison.
     */
    private static final long[] KEYWORD_TRIPLES = new long[(26 * 26 * 26 + 63) / 64];

    static {
        for (String k : KEYWORDS) {
            int bit = triple(k.charAt(0), k.charAt(1), k.charAt(2));
            if (bit < 0) {
                throw new IllegalStateException("redactor: keyword " + k + " does not start with three letters");
            }
            KEYWORD_TRIPLES[bit >> 6] |= 1L << bit;
        }
    }

    /** The bit of three lower-case letters in {@link #KEYWORD_TRIPLES}, or -1 when one is not a letter a–z. */
    private static int triple(char a, char b, char c) {
        if (a < 'a' || a > 'z' || b < 'a' || b > 'z' || c < 'a' || c > 'z') {
            return -1;
        }
        return ((a - 'a') * 26 + (b - 'a')) * 26 + (c - 'a');
    }

    /**
     * A character as {@link String#regionMatches(boolean, int, String, int, int)} with {@code ignoreCase} compares it
     * with a lower-case ASCII letter: ASCII letters lower-cased; others upper-cased, then lower-cased (the Kelvin sign
     * folds to {@code k}, a long s to {@code s}).
     */
    private static char fold(char d) {
        return d < 128
                ? (char) (d | ((d >= 'A' && d <= 'Z') ? 0x20 : 0))
                : Character.toLowerCase(Character.toUpperCase(d));
    }

    /**
     * {@link Character#toLowerCase(char)}, with ASCII answered without the character tables (one call of those per
     * character of the text scanned was a large part of a scan under C1, which does not inline them).
     */
    static char lower(char c) {
        if (c < 128) {
            return c >= 'A' && c <= 'Z' ? (char) (c | 0x20) : c;
        }
        return Character.toLowerCase(c);
    }

    /** Bits of {@link #ASCII}: a word character (letter, digit, {@code _}). */
    private static final byte WORD = 1;
    /** Bits of {@link #ASCII}: a character of a key name (word characters, {@code .}, {@code -}). */
    private static final byte NAME = 2;
    /** Bits of {@link #ASCII}: the lower-case first letter of a command-line client in {@link #CLIENT_OPTIONS}. */
    private static final byte CLIENT = 4;
    /** The classes of the ASCII characters, so that a per-character test is one table read. */
    private static final byte[] ASCII = new byte[128];
    /**
     * The first two letters of the programs of {@link #CLIENT_OPTIONS}, bit {@code (first - 'a') * 128 + second}:
     * a word starting with a client's first letter ({@code s}erver, {@code c}onnected) is mostly rejected by its
     * second letter without a case-insensitive comparison.
     */
    private static final long[] CLIENT_PAIRS = new long[26 * 128 / 64];

    /** Header names whose value runs to the end of the line (it may contain spaces: {@code Bearer x}, {@code a=b; c=d}). */
    private static final List<String> HEADERS = List.of(
            "authorization",
            "proxy-authorization",
            "cookie",
            "set-cookie",
            "x-api-key",
            "api-key",
            "x-auth-token",
            "x-vault-token",
            "x-goog-api-key",
            "x-github-token",
            "x-csrf-token");

    /**
     * A token recognised by its documented prefix.
     *
     * @param prefix  case-sensitive literal
     * @param minBody shortest body after the prefix for a whole token (a shorter one at the end of the text counts)
     * @param body    characters the body may hold
     */
    record Prefix(String prefix, int minBody, String body) {}

    private static final String B64URL = RedactionRule.BASE64URL;
    private static final String TOKEN = RedactionRule.BASE64URL_DOT;
    private static final String B64 = B64URL + "+/=";
    private static final String UPPER_DIGITS = RedactionRule.UPPER_DIGITS;

    /** Sources: gitleaks default rules; GitLab "Token prefixes" docs; vendors' token format announcements. */
    static final List<Prefix> PREFIXES = List.of(
            // GitLab's formats come from the gitlab toolset (GitLabRedaction); Grafana service account and cloud tokens
            new Prefix("glsa_", 16, TOKEN),
            new Prefix("glc_", 16, TOKEN),
            // GitHub (github.blog 2021-04-05 "Behind GitHub's new authentication token formats")
            new Prefix("ghp_", 30, B64URL),
            new Prefix("gho_", 30, B64URL),
            new Prefix("ghu_", 30, B64URL),
            new Prefix("ghs_", 30, B64URL),
            new Prefix("ghr_", 30, B64URL),
            new Prefix("github_pat_", 30, B64URL),
            // Slack (api.slack.com token types)
            new Prefix("xoxb-", 10, TOKEN),
            new Prefix("xoxp-", 10, TOKEN),
            new Prefix("xoxa-", 10, TOKEN),
            new Prefix("xoxr-", 10, TOKEN),
            new Prefix("xoxs-", 10, TOKEN),
            new Prefix("xoxe-", 10, TOKEN),
            new Prefix("xapp-", 10, TOKEN),
            // Stripe, OpenAI, Anthropic, Hugging Face, npm, PyPI, Docker Hub, Vault, DigitalOcean, Shopify,
            // SendGrid, Atlassian, Postman, New Relic, Linear, PlanetScale, Doppler, Databricks, Google API keys, age
            new Prefix("sk_live_", 16, B64URL),
            new Prefix("rk_live_", 16, B64URL),
            new Prefix("sk_test_", 16, B64URL),
            new Prefix("rk_test_", 16, B64URL),
            new Prefix("whsec_", 16, B64URL),
            new Prefix("sk-proj-", 20, B64URL),
            new Prefix("sk-svcacct-", 20, B64URL),
            new Prefix("sk-admin-", 20, B64URL),
            new Prefix("sk-ant-", 20, B64URL),
            new Prefix("hf_", 30, B64URL),
            new Prefix("npm_", 30, B64URL),
            new Prefix("pypi-AgEIcHlwaS5vcmc", 16, B64URL),
            new Prefix("dckr_pat_", 16, B64URL),
            new Prefix("hvs.", 20, TOKEN),
            new Prefix("hvb.", 20, TOKEN),
            new Prefix("hvr.", 20, TOKEN),
            new Prefix("dop_v1_", 32, B64URL),
            new Prefix("doo_v1_", 32, B64URL),
            new Prefix("dor_v1_", 32, B64URL),
            new Prefix("shpat_", 32, B64URL),
            new Prefix("shpss_", 32, B64URL),
            new Prefix("shpca_", 32, B64URL),
            new Prefix("shppa_", 32, B64URL),
            new Prefix("SG.", 20, TOKEN),
            new Prefix("ATATT3", 30, B64URL + "="),
            new Prefix("PMAK-", 20, B64URL),
            new Prefix("NRAK-", 20, UPPER_DIGITS),
            new Prefix("lin_api_", 30, B64URL),
            new Prefix("pscale_tkn_", 20, B64URL),
            new Prefix("dp.pt.", 20, B64URL),
            new Prefix("dapi", 32, B64URL),
            new Prefix("AIza", 35, B64URL),
            new Prefix("AGE-SECRET-KEY-1", 40, UPPER_DIGITS));
    // AWS access key ids come from the aws toolset (AwsRedaction)

    private static final Prefix[] NO_PREFIXES = new Prefix[0];

    /** Built-in and contributed prefixes by their first (ASCII) character: a position costs only those it could start. */
    private final Prefix[][] prefixesByFirst = new Prefix[128][];
    /**
     * For each first character, the second characters its prefixes continue with: bit {@code c} of word
     * {@code c >> 6} for an ASCII {@code c}; all bits set when one of them is a single character or continues with a
     * non-ASCII one. A word start whose next character is not among them starts no prefix.
     */
    private final long[][] secondByFirst = new long[128][];
    /**
     * ASCII characters at which no rule can start: not a letter (keywords, client names, JWTs), not {@code -} (PEM
     * blocks, options) or {@code :} (URL user info), and the first character of no token prefix.
     */
    private final boolean[] inert = new boolean[128];
    /** Built-in and contributed header names, lower case. */
    private final Set<String> headers;

    /**
     * Command-line clients and their password options.
     *
     * @param program  the program's name (also matched as the start of a longer name: {@code mysqldump})
     * @param option   the option, e.g. {@code -p}
     * @param attached the value may follow the option directly ({@code -pX})
     * @param separate the value may be the next word ({@code -p X}); mysql's {@code -p X} prompts instead
     * @param afterColon only the part after the first colon is secret ({@code curl -u user:pass})
     */
    private record ClientOption(
            String program, String option, boolean attached, boolean separate, boolean afterColon) {}

    private static final List<ClientOption> CLIENT_OPTIONS = List.of(
            new ClientOption("mysql", "-p", true, false, false),
            new ClientOption("mariadb", "-p", true, false, false),
            new ClientOption("sshpass", "-p", true, true, false),
            new ClientOption("redis-cli", "-a", true, true, false),
            new ClientOption("curl", "-u", true, true, true),
            new ClientOption("curl", "--user", false, true, true),
            new ClientOption("wget", "--password", false, true, false));

    static {
        for (char c = 0; c < 128; c++) {
            int bits = 0;
            if (Character.isLetterOrDigit(c) || c == '_') {
                bits |= WORD | NAME;
            }
            if (c == '.' || c == '-') {
                bits |= NAME;
            }
            ASCII[c] = (byte) bits;
        }
        for (ClientOption o : CLIENT_OPTIONS) {
            ASCII[o.program.charAt(0)] |= CLIENT;
            int pair = (o.program.charAt(0) - 'a') * 128 + o.program.charAt(1);
            CLIENT_PAIRS[pair >> 6] |= 1L << pair;
        }
    }

    /** A redactor with the built-in rules only. */
    public Redactor() {
        this(List.of());
    }

    /**
     * A redactor with the built-in rules and {@code contributed} ones (the toolsets' credential formats).
     *
     * @throws IllegalArgumentException when a contributed header name holds none of the secret keywords
     *                                  ({@code token}, {@code auth}, {@code key}, …): the scan finds header values
     *                                  only after such a keyword
     */
    public Redactor(Collection<RedactionRule> contributed) {
        List<Prefix> prefixes = new ArrayList<>(PREFIXES);
        Set<String> names = new HashSet<>(HEADERS);
        for (RedactionRule rule : contributed) {
            if (rule instanceof RedactionRule.Token t) {
                prefixes.add(new Prefix(t.prefix(), t.minBody(), t.body()));
            } else if (rule instanceof RedactionRule.Header h) {
                if (KEYWORDS.stream().noneMatch(h.name()::contains)) {
                    throw new IllegalArgumentException("redaction rule header " + h.name() + ": the name must"
                            + " contain one of " + String.join(", ", KEYWORDS));
                }
                names.add(h.name());
            }
        }
        // One pass over the prefixes into per-character buckets (in order, each distinct prefix once), not one
        // stream pipeline per ASCII character: 128 of those ran in the interpreter on every start, for each redactor.
        List<List<Prefix>> buckets = new ArrayList<>(Collections.nCopies(128, null));
        for (Prefix p : prefixes) {
            char first = p.prefix.charAt(0);
            if (first >= 128) {
                continue; // never looked up: the scan indexes prefixes by ASCII first characters only
            }
            List<Prefix> bucket = buckets.get(first);
            if (bucket == null) {
                bucket = new ArrayList<>(4);
                buckets.set(first, bucket);
            }
            boolean seen = false; // a rule contributed twice (or equal to a built-in one) is tried once
            for (Prefix q : bucket) {
                // the record's equals, spelled out: its first call would build method handles at every start
                seen |= q.minBody == p.minBody && q.prefix.equals(p.prefix) && q.body.equals(p.body);
            }
            if (!seen) {
                bucket.add(p);
            }
        }
        for (char c = 0; c < 128; c++) {
            List<Prefix> bucket = buckets.get(c);
            prefixesByFirst[c] = bucket == null ? NO_PREFIXES : bucket.toArray(NO_PREFIXES);
            long[] second = new long[2];
            for (Prefix p : prefixesByFirst[c]) {
                if (p.prefix.length() < 2 || p.prefix.charAt(1) >= 128) {
                    second[0] = -1L;
                    second[1] = -1L;
                } else {
                    second[p.prefix.charAt(1) >> 6] |= 1L << (p.prefix.charAt(1) & 63);
                }
            }
            secondByFirst[c] = second;
            char lower = Character.toLowerCase(c);
            inert[c] = c != '-' && c != ':' && !(lower >= 'a' && lower <= 'z') && prefixesByFirst[c].length == 0;
        }
        this.headers = Set.copyOf(names);
    }

    /** Returns the text with every recognised secret replaced; {@code null} stays {@code null}. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return new Scan(text).run();
    }

    /**
     * Redacts, then cuts to at most {@code maxChars} characters (ending in {@code …} when cut). Use this wherever
     * text is shortened: cutting first could leave a token too short to be recognised.
     */
    public String cut(String text, int maxChars) {
        String clean = redact(text);
        if (clean == null || clean.length() <= maxChars) {
            return clean;
        }
        return clean.substring(0, Math.max(0, maxChars - 1)) + "…";
    }

    /** Characters examined while redacting {@code text}: the unit of work, for tests that prove linear cost. */
    long work(String text) {
        Scan scan = new Scan(text);
        scan.run();
        return scan.steps;
    }

    /**
     * Returns a redacted deep copy of a JSON tree (every object and array is a new one; immutable leaves without a
     * secret are shared): string values are redacted as text, and members whose name looks like a secret ({@code password}, {@code aws_secret_access_key}, {@code Authorization}, …) have their
     * value replaced whole.
     */
    public JsonNode redact(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isString()) {
            // a string node is immutable: a clean one is shared, as numbers and booleans are, not copied
            String text = node.asString();
            String clean = redact(text);
            return clean == text ? node : StringNode.valueOf(clean);
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                JsonNode v = e.getValue();
                if (isSecretName(e.getKey()) && !v.isNull() && !v.isContainer() && !v.isBoolean()) {
                    copy.put(e.getKey(), MARK);
                } else {
                    copy.set(e.getKey(), redact(v));
                }
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            for (JsonNode v : node) {
                copy.add(redact(v));
            }
            return copy;
        }
        return node;
    }

    /**
     * Whether a field, header or variable name names a secret: one of the keywords is a whole segment of it, where
     * segments are split at {@code _ . -} and at camelCase humps ({@code SecretAccessKey}, {@code db_password},
     * {@code x-amz-security-token}; not {@code max_tokens}). Linear in the name's length.
     */
    public boolean isSecretName(String name) {
        if (name == null || name.isEmpty() || !holdsAnchor(name)) {
            return false;
        }
        StringBuilder norm = new StringBuilder(name.length() + 8).append('_');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_' || c == '.' || c == '-' || c == ' ') {
                norm.append('_');
                continue;
            }
            if (Character.isUpperCase(c)
                    && i > 0
                    && (Character.isLowerCase(name.charAt(i - 1))
                            || (i + 1 < name.length()
                                    && Character.isLowerCase(name.charAt(i + 1))
                                    && Character.isUpperCase(name.charAt(i - 1))))) {
                norm.append('_');
            }
            norm.append(Character.toLowerCase(c));
        }
        String n = norm.append('_').toString();
        for (String k : NAME_WORDS) {
            if (n.contains(k)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Letter runs one of which every entry of {@link #NAME_WORDS} holds. Normalising a name only lower-cases its
     * characters one by one and puts {@code _} between them, so a name whose per-character lower case holds none of
     * these runs cannot match: the common case (a result's ordinary member names) is rejected without building the
     * normalised name.
     */
    private static final List<String> ANCHORS =
            List.of("pass", "pwd", "secret", "token", "key", "credential", "auth", "cookie", "session");

    /** The first letters of the {@link #ANCHORS}, bit {@code c - 'a'}: most characters of a name start none. */
    private static final long ANCHOR_FIRSTS =
            ANCHORS.stream().mapToLong(a -> 1L << (a.charAt(0) - 'a')).reduce(0, (x, y) -> x | y);

    /** {@link #ANCHORS} as an array: looping over it allocates no iterator (C1 does not remove one). */
    private static final String[] ANCHOR_ARRAY = ANCHORS.toArray(new String[0]);

    private static boolean holdsAnchor(String name) {
        int n = name.length();
        for (int i = 0; i < n; i++) {
            char c = lower(name.charAt(i));
            if (c < 'a' || c > 'z' || (ANCHOR_FIRSTS & (1L << (c - 'a'))) == 0) {
                continue;
            }
            for (String a : ANCHOR_ARRAY) {
                if (a.charAt(0) == c && a.length() <= n - i && lowerMatches(name, i, a)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean lowerMatches(String name, int at, String lower) {
        for (int j = 1; j < lower.length(); j++) {
            if (lower(name.charAt(at + j)) != lower.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    /** Keywords as whole segments of a normalised name (see {@link #isSecretName}). */
    static final List<String> NAME_WORDS = List.of(
            "_password_",
            "_passwd_",
            "_passphrase_",
            "_pwd_",
            "_secret_",
            "_token_",
            "_apikey_",
            "_api_key_",
            "_access_key_",
            "_accesskey_",
            "_private_key_",
            "_privatekey_",
            "_credential_",
            "_credentials_",
            "_authorization_",
            "_cookie_",
            "_set_cookie_",
            "_sessionid_",
            "_session_id_",
            "_auth_",
            "_secret_access_key_",
            "_session_token_",
            "_security_token_");

    static {
        for (String w : NAME_WORDS) {
            if (ANCHORS.stream().noneMatch(w::contains)) {
                // holdsAnchor would reject names this word matches: a secret would pass unredacted
                throw new IllegalStateException("redactor: name word " + w + " holds none of " + ANCHORS);
            }
        }
    }

    /** One pass over one text. */
    private final class Scan {
        private final String s;
        private final int n;
        /** The redacted text, made at the first secret: a clean text is returned as it is. */
        private StringBuilder out;
        /** End of the text already copied to {@link #out}. */
        private int copied;

        long steps;
        /** Start of the current line, and the client program seen on it (or null). */
        private int lineStart;

        private ClientOption[] lineClients = NO_CLIENTS;

        Scan(String s) {
            this.s = s;
            this.n = s.length();
        }

        String run() {
            int i = 0;
            while (i < n) {
                steps++;
                char c = s.charAt(i);
                if (c == '\n') {
                    lineStart = i + 1;
                    lineClients = NO_CLIENTS;
                    i++;
                    continue;
                }
                if (c < 128) {
                    if (inert[c]) {
                        i++;
                        continue; // no rule starts with this character
                    }
                    if ((ASCII[c] & WORD) != 0 && i > 0 && wordChar(s.charAt(i - 1)) && !keywordMayStart(c, i)) {
                        i++;
                        continue; // inside a word only a keyword can start (prefixes, JWTs, clients start words)
                    }
                }
                int next = at(i);
                i = next > i ? next : i + 1;
            }
            if (out == null) {
                return s;
            }
            out.append(s, copied, n);
            return out.toString();
        }

        /** Tries every rule at {@code i}; returns where to continue (past a redacted secret), or {@code i}. */
        private int at(int i) {
            char c = s.charAt(i);
            int r;
            if (c == '-' && (r = pem(i)) > i) {
                return r;
            }
            if (c == ':' && (r = userinfo(i)) > i) {
                return r;
            }
            if (c == '-' && (r = clientOption(i)) > i) {
                return r;
            }
            char p = prev(i);
            boolean wordStart = !wordChar(p);
            if (wordStart && (r = prefixToken(i)) > i) {
                return r;
            }
            if (c == 'e' && wordStart && (r = jwt(i)) > i) {
                return r;
            }
            if (!nameChar(p)) {
                noteClient(i);
            }
            if ((r = keyword(i)) > i) {
                return r;
            }
            return i;
        }

        private char prev(int i) {
            return i == 0 ? '\n' : s.charAt(i - 1);
        }

        private StringBuilder out() {
            if (out == null) {
                out = new StringBuilder(n);
            }
            return out;
        }

        private void replace(int from, int to) {
            out().append(s, copied, from).append(MARK);
            copied = to;
        }

        // ---- PEM private keys

        private int pem(int i) {
            if (!s.startsWith("-----BEGIN ", i)) {
                return i;
            }
            int headEnd = Math.min(n, i + 11 + MAX_NAME);
            int close = -1;
            for (int j = i + 11; j < headEnd; j++) {
                steps++;
                if (s.startsWith("-----", j)) {
                    close = j;
                    break;
                }
            }
            if (close < 0
                    || !s.startsWith("PRIVATE KEY", close - 11) && !s.startsWith("PRIVATE KEY BLOCK", close - 17)) {
                return i;
            }
            int end = s.indexOf("-----END ", close + 5);
            int stop;
            if (end < 0) {
                stop = n;
            } else {
                int tail = s.indexOf("-----", end + 9);
                stop = tail < 0 ? n : tail + 5;
            }
            steps += stop - i;
            out().append(s, copied, i)
                    .append("-----BEGIN PRIVATE KEY-----")
                    .append(MARK)
                    .append("-----END PRIVATE KEY-----");
            copied = stop;
            return stop;
        }

        // ---- scheme://user:password@host

        private int userinfo(int i) {
            if (!s.startsWith("://", i)) {
                return i;
            }
            int j = i + 3;
            int limit = Math.min(n, j + 256);
            while (j < limit && s.charAt(j) != ':' && s.charAt(j) != '@' && s.charAt(j) != '/' && !space(s.charAt(j))) {
                steps++;
                j++;
            }
            if (j >= limit || s.charAt(j) != ':') {
                return i;
            }
            int colon = j;
            j++;
            limit = Math.min(n, j + 1024);
            while (j < limit && s.charAt(j) != '@' && s.charAt(j) != '/' && !space(s.charAt(j))) {
                steps++;
                j++;
            }
            if (j >= limit || s.charAt(j) != '@' || j == colon + 1) {
                return i;
            }
            replace(colon + 1, j);
            return j;
        }

        // ---- tokens by prefix

        private int prefixToken(int i) {
            char c = s.charAt(i);
            if (c >= 128) {
                return i;
            }
            long[] second = secondByFirst[c];
            char d = i + 1 < n ? s.charAt(i + 1) : 0;
            if (d >= 128 ? second[0] != -1L : (second[d >> 6] & (1L << (d & 63))) == 0) {
                return i; // no prefix starts with these two characters (a one-character prefix sets every bit)
            }
            for (Prefix p : prefixesByFirst[c]) {
                steps++;
                if (!s.startsWith(p.prefix, i)) {
                    continue;
                }
                int j = i + p.prefix.length();
                while (j < n && p.body.indexOf(s.charAt(j)) >= 0) {
                    steps++;
                    j++;
                }
                int body = j - i - p.prefix.length();
                boolean cut = j == n || s.startsWith("…", j) || s.startsWith("...", j);
                if (body >= p.minBody || (cut && body > 0) || (cut && p.prefix.length() >= 5)) {
                    // a token cut off by an output cap or an ellipsis is still a token
                    replace(i, j);
                    return j;
                }
            }
            return i;
        }

        private int jwt(int i) {
            if (!s.startsWith("eyJ", i)) {
                return i;
            }
            int j = i;
            int dots = 0;
            int segment = 0;
            while (j < n) {
                char c = s.charAt(j);
                steps++;
                if (c == '.') {
                    if (segment < 4 || dots == 2) {
                        break;
                    }
                    dots++;
                    segment = 0;
                } else if (B64URL.indexOf(c) >= 0) {
                    segment++;
                } else {
                    break;
                }
                j++;
            }
            if (dots == 2 && segment >= 4) {
                replace(i, j);
                return j;
            }
            return i;
        }

        // ---- command-line clients

        /** Remembers a client program named at {@code i} for the rest of the line. */
        private void noteClient(int i) {
            char c = lower(s.charAt(i));
            if (c >= 128 || (ASCII[c] & CLIENT) == 0 || i + 1 >= n) {
                return;
            }
            char d = fold(s.charAt(i + 1));
            int pair = (c - 'a') * 128 + d;
            if (d >= 128 || (CLIENT_PAIRS[pair >> 6] & (1L << pair)) == 0) {
                return; // no client's name starts with these two letters (every name is longer than two)
            }
            for (ClientOption o : CLIENT_OPTIONS) {
                steps++;
                if (o.program.charAt(0) == c && s.regionMatches(true, i, o.program, 0, o.program.length())) {
                    ClientOption[] more = java.util.Arrays.copyOf(lineClients, lineClients.length + 1);
                    more[lineClients.length] = o;
                    if (more.length <= CLIENT_OPTIONS.size() * 4) {
                        lineClients = more;
                    }
                }
            }
        }

        /** {@code -pX}, {@code -p X}, {@code --user=X} … of a client program named earlier on the line. */
        private int clientOption(int start) {
            if (lineClients.length == 0
                    || (start > lineStart && !space(prev(start)) && prev(start) != '"' && prev(start) != '\'')) {
                return start;
            }
            for (ClientOption o : lineClients) {
                steps++;
                if (!s.startsWith(o.option, start)) {
                    continue;
                }
                int v = start + o.option.length();
                if (v >= n) {
                    continue;
                }
                char ch = s.charAt(v);
                if (o.option.startsWith("--") && ch == '=') {
                    return value(v + 1, o.afterColon, false);
                }
                if (!space(ch)) {
                    if (o.attached && !o.option.startsWith("--")) {
                        return value(v, o.afterColon, false);
                    }
                    continue;
                }
                if (o.separate && ch != '\n') {
                    int w = v;
                    while (w < n && w < v + MAX_GAP && (s.charAt(w) == ' ' || s.charAt(w) == '\t')) {
                        steps++;
                        w++;
                    }
                    if (w < n && s.charAt(w) != '-' && !space(s.charAt(w))) {
                        return value(w, o.afterColon, false);
                    }
                }
            }
            return start;
        }

        // ---- key = value, key: value, key => value, --key value, <key>value, headers

        /**
         * Whether a keyword may start at {@code i} where the ASCII word character {@code c} is: its first three
         * letters, folded as {@link #keyword} compares them, begin a keyword. {@code false} means {@link #keyword}
         * finds nothing at {@code i}.
         */
        private boolean keywordMayStart(char c, int i) {
            char a = (char) (c | ((c >= 'A' && c <= 'Z') ? 0x20 : 0));
            if (a < 'a' || a > 'z' || i + 2 >= n) {
                return false;
            }
            char b = fold(s.charAt(i + 1));
            if (b >= 128 || KEYWORDS_BY_PAIR[(a - 'a') * 128 + b] == null) {
                return false; // the common case: two table reads
            }
            int bit = triple(a, b, fold(s.charAt(i + 2)));
            return bit >= 0 && (KEYWORD_TRIPLES[bit >> 6] & (1L << bit)) != 0;
        }

        private int keyword(int i) {
            char c = lower(s.charAt(i));
            if (c < 'a' || c > 'z' || i + 1 >= n) {
                return i;
            }
            // the second character as String.regionMatches(ignoreCase) compares it: upper, then lower case
            char d = fold(s.charAt(i + 1));
            String[] candidates = d < 128 ? KEYWORDS_BY_PAIR[(c - 'a') * 128 + d] : null;
            if (candidates == null || i + 2 >= n) {
                return i; // every keyword has at least three letters
            }
            int bit = triple(c, d, fold(s.charAt(i + 2)));
            if (bit < 0 || (KEYWORD_TRIPLES[bit >> 6] & (1L << bit)) == 0) {
                return i;
            }
            for (String k : candidates) {
                steps++;
                if (!s.regionMatches(true, i, k, 0, k.length())) {
                    continue;
                }
                int r = assignment(i, i + k.length());
                if (r > i) {
                    return r;
                }
            }
            return i;
        }

        /** A keyword was found at {@code [kw, kwEnd)}: is this the name of an assignment, and where is its value? */
        private int assignment(int kw, int kwEnd) {
            // the whole name: back and forth over name characters, bounded
            int start = kw;
            while (start > 0 && kw - start < MAX_NAME && nameChar(s.charAt(start - 1))) {
                steps++;
                start--;
            }
            if (start > 0 && nameChar(s.charAt(start - 1))) {
                return kw; // a name longer than MAX_NAME: not a key
            }
            int end = kwEnd;
            if (end < n && nameChar(s.charAt(end))) {
                if (!separatorChar(s.charAt(end))) {
                    return kw; // max_tokens, passwords_count: the keyword is not a segment
                }
                while (end < n && end - kwEnd < MAX_NAME && nameChar(s.charAt(end))) {
                    steps++;
                    end++;
                }
                if (end < n && nameChar(s.charAt(end))) {
                    return kw;
                }
            }
            boolean flag = s.charAt(start) == '-';
            String name = s.substring(start, end).toLowerCase(Locale.ROOT);
            while (name.startsWith("-")) {
                name = name.substring(1);
            }
            boolean header = headers.contains(name);
            boolean xml = start > 0 && s.charAt(start - 1) == '<';
            int j = end;
            // an optional closing quote of a quoted key and a closing bracket ($cfg['password'] = …), then spaces
            if (j < n && (s.charAt(j) == '"' || s.charAt(j) == '\'')) {
                j++;
            }
            if (j < n && s.charAt(j) == ']') {
                j++;
            }
            int gap = j;
            while (j < n && j - gap < MAX_GAP && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
                steps++;
                j++;
            }
            if (j >= n) {
                return kw;
            }
            char c = s.charAt(j);
            if (xml && c == '>' && j == end) {
                return value(j + 1, false, true);
            }
            if (c == '=' && j + 1 < n && s.charAt(j + 1) == '>') {
                j += 2; // Perl, PHP, Ruby
            } else if (c == ':' && j + 1 < n && s.charAt(j + 1) == '=') {
                j += 2; // Go, Pascal
            } else if (c == '=' && j + 1 < n && s.charAt(j + 1) == '=') {
                return kw; // a comparison
            } else if (c == '=') {
                j++;
            } else if (c == ':') {
                if (s.startsWith("//", j + 1)) {
                    return kw; // a URL scheme
                }
                j++;
            } else if (flag && j > end) {
                return valueAfterGap(j, header); // --password X
            } else {
                return kw;
            }
            int w = j;
            while (j < n && j - w < MAX_GAP && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
                steps++;
                j++;
            }
            if (j >= n) {
                return kw;
            }
            if (header && s.charAt(j) != '"' && s.charAt(j) != '\'') {
                return toLineEnd(j, start);
            }
            return valueAfterGap(j, false);
        }

        private int valueAfterGap(int j, boolean header) {
            char c = s.charAt(j);
            if (c == '-' && j + 1 < n && s.charAt(j + 1) == '-') {
                return j - 1 >= 0 ? j - 1 : j; // the next option, not a value
            }
            if (c == '{' || c == '[' || c == '\n' || c == '\r') {
                return j; // a structure or nothing: the members are checked one by one
            }
            return value(j, false, false);
        }

        /** The header's value: to the end of the line, or to the quote that opened the header. */
        private int toLineEnd(int j, int nameStart) {
            char open = nameStart > 0 ? s.charAt(nameStart - 1) : ' ';
            boolean quoted = open == '"' || open == '\'';
            int k = j;
            while (k < n && s.charAt(k) != '\n' && s.charAt(k) != '\r' && !(quoted && s.charAt(k) == open)) {
                steps++;
                k++;
            }
            if (k == j) {
                return j;
            }
            replace(j, k);
            return k;
        }

        /**
         * A value starting at {@code j}: quoted (to the closing quote or the end of the line) or bare (to a space or
         * a delimiter). Returns its end, after replacing it, or {@code j} when it is empty.
         */
        private int value(int j, boolean afterColon, boolean xml) {
            if (j >= n) {
                return j;
            }
            char q = s.charAt(j);
            int from;
            int k;
            if (!xml && (q == '"' || q == '\'' || q == '`')) {
                from = j + 1;
                k = from;
                while (k < n && s.charAt(k) != q && s.charAt(k) != '\n') {
                    steps++;
                    if (s.charAt(k) == '\\' && k + 1 < n && s.charAt(k + 1) != '\n') {
                        k++;
                    }
                    k++;
                }
            } else {
                from = j;
                k = j;
                while (k < n && !(xml ? s.charAt(k) == '<' || s.charAt(k) == '\n' : bareEnd(s.charAt(k)))) {
                    steps++;
                    k++;
                }
            }
            if (afterColon) {
                int colon = s.indexOf(':', from);
                if (colon < 0 || colon >= k) {
                    return k; // curl -u user: the password is prompted for
                }
                from = colon + 1;
            }
            if (k <= from) {
                return Math.max(j, k);
            }
            replace(from, k);
            return k;
        }

        private static boolean bareEnd(char c) {
            return space(c) || c == '&' || c == ',' || c == ';' || c == '"' || c == '\'' || c == '}' || c == ']'
                    || c == ')' || c == '<' || c == '>';
        }
    }

    private static final ClientOption[] NO_CLIENTS = new ClientOption[0];

    private static boolean space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }

    private static boolean wordChar(char c) {
        return c < 128 ? (ASCII[c] & WORD) != 0 : Character.isLetterOrDigit(c);
    }

    private static boolean nameChar(char c) {
        return c < 128 ? (ASCII[c] & NAME) != 0 : Character.isLetterOrDigit(c);
    }

    private static boolean separatorChar(char c) {
        return c == '_' || c == '.' || c == '-';
    }
}
