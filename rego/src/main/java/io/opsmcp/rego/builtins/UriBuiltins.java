package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.BOOLEAN;
import static io.opsmcp.rego.builtins.Type.STRING;
import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * uri.parse and uri.is_valid: OPA ({@code v1/topdown/uri.go}) reports what Go's {@code net/url.Parse} makes of
 * the string, so this is a port of that parser's rules (RFC 3986 with Go's deviations): scheme, authority with
 * validated userinfo and host (percent-escapes in a host only for non-ASCII bytes, except {@code %25} before an
 * IPv6 zone), ASCII-digit ports, path with raw_path kept when the decoded path does not re-encode to it, query,
 * fragment. Escapes are decoded byte-wise over the UTF-8 input, as in Go. uri.parse fails with Go's error text
 * ({@code parse "…": invalid URL escape "%6d"}); uri.is_valid is false for it and for the empty string.
 */
final class UriBuiltins {
    private UriBuiltins() {}

    static List<Builtin> all() {
        return List.of(
                Builtin.simple(
                        "uri.parse", args(STRING), Type.object(STRING, STRING), (a, c) -> parse(Operands.string(a, 0))),
                Builtin.simple("uri.is_valid", args(STRING), BOOLEAN, (a, c) -> {
                    if (!(a.get(0) instanceof StringValue s) || s.value().isEmpty()) {
                        return BooleanValue.FALSE;
                    }
                    try {
                        GoUrl.parse(s.value());
                        return BooleanValue.TRUE;
                    } catch (BuiltinError e) {
                        return BooleanValue.FALSE;
                    }
                }));
    }

    private static Value parse(String s) {
        GoUrl u = GoUrl.parse(s);
        ObjectValue.Builder out = ObjectValue.builder();
        putIfSet(out, "scheme", u.scheme);
        String[] hostPort = splitHostPort(u.host);
        putIfSet(out, "hostname", hostPort[0]);
        putIfSet(out, "port", hostPort[1]);
        if (!u.path.isEmpty()) {
            out.put("path", StringValue.of(u.path));
            out.put("raw_path", StringValue.of(u.rawPath.isEmpty() ? u.path : u.rawPath));
        }
        putIfSet(out, "raw_query", u.rawQuery);
        putIfSet(out, "fragment", u.fragment);
        return out.build();
    }

    private static void putIfSet(ObjectValue.Builder out, String key, String value) {
        if (!value.isEmpty()) {
            out.put(key, StringValue.of(value));
        }
    }

    /** Go's url.splitHostPort behind Hostname() and Port(). */
    private static String[] splitHostPort(String hostPort) {
        String host = hostPort;
        String port = "";
        int colon = host.lastIndexOf(':');
        if (colon != -1 && validOptionalPort(host.substring(colon))) {
            port = host.substring(colon + 1);
            host = host.substring(0, colon);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new String[] {host, port};
    }

    /** Empty, or ':' followed by ASCII digits only. */
    static boolean validOptionalPort(String port) {
        if (port.isEmpty()) {
            return true;
        }
        if (port.charAt(0) != ':') {
            return false;
        }
        for (int i = 1; i < port.length(); i++) {
            char c = port.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private enum Mode {
        PATH,
        PATH_SEGMENT,
        HOST,
        ZONE,
        USER_PASSWORD,
        QUERY_COMPONENT,
        FRAGMENT
    }

    /** The fields of Go's url.URL this built-in reads. */
    private static final class GoUrl {
        String scheme = "";
        String host = "";
        String path = "";
        String rawPath = "";
        String rawQuery = "";
        String fragment = "";

        static GoUrl parse(String raw) {
            int hash = raw.indexOf('#');
            String u = hash < 0 ? raw : raw.substring(0, hash);
            GoUrl url;
            try {
                url = parseNoFragment(u);
            } catch (BuiltinError e) {
                throw new BuiltinError("parse " + GoQuote.quote(u) + ": " + e.getMessage());
            }
            if (hash >= 0) {
                String frag = raw.substring(hash + 1);
                try {
                    url.fragment = unescape(frag, Mode.FRAGMENT);
                } catch (BuiltinError e) {
                    throw new BuiltinError("parse " + GoQuote.quote(raw) + ": " + e.getMessage());
                }
            }
            return url;
        }

        private static GoUrl parseNoFragment(String raw) {
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c < ' ' || c == 0x7f) {
                    throw new BuiltinError("net/url: invalid control character in URL");
                }
            }
            GoUrl url = new GoUrl();
            if (raw.equals("*")) {
                url.path = "*";
                return url;
            }
            String rest = raw;
            // getScheme: [a-zA-Z][a-zA-Z0-9+-.]* followed by ':'.
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                    continue;
                }
                if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
                    if (i == 0) {
                        break;
                    }
                    continue;
                }
                if (c == ':') {
                    if (i == 0) {
                        throw new BuiltinError("missing protocol scheme");
                    }
                    url.scheme = raw.substring(0, i).toLowerCase(Locale.ROOT);
                    rest = raw.substring(i + 1);
                }
                break;
            }
            if (rest.endsWith("?") && rest.indexOf('?') == rest.length() - 1) {
                rest = rest.substring(0, rest.length() - 1);
            } else {
                int q = rest.indexOf('?');
                if (q >= 0) {
                    url.rawQuery = rest.substring(q + 1);
                    rest = rest.substring(0, q);
                }
            }
            if (!rest.startsWith("/")) {
                if (!url.scheme.isEmpty()) {
                    return url; // rootless: opaque, which uri.parse does not report
                }
                int slash = rest.indexOf('/');
                String segment = slash < 0 ? rest : rest.substring(0, slash);
                if (segment.contains(":")) {
                    throw new BuiltinError("first path segment in URL cannot contain colon");
                }
            }
            if ((!url.scheme.isEmpty() || !rest.startsWith("///")) && rest.startsWith("//")) {
                String authority = rest.substring(2);
                rest = "";
                int slash = authority.indexOf('/');
                if (slash >= 0) {
                    rest = authority.substring(slash);
                    authority = authority.substring(0, slash);
                }
                url.host = parseAuthority(authority);
            }
            url.path = unescape(rest, Mode.PATH);
            url.rawPath = rest.equals(escape(url.path, Mode.PATH)) ? "" : rest;
            return url;
        }

        private static String parseAuthority(String authority) {
            int at = authority.lastIndexOf('@');
            String host = parseHost(at < 0 ? authority : authority.substring(at + 1));
            if (at >= 0) {
                String userinfo = authority.substring(0, at);
                if (!validUserinfo(userinfo)) {
                    throw new BuiltinError("net/url: invalid userinfo");
                }
                int colon = userinfo.indexOf(':');
                if (colon < 0) {
                    unescape(userinfo, Mode.USER_PASSWORD);
                } else {
                    unescape(userinfo.substring(0, colon), Mode.USER_PASSWORD);
                    unescape(userinfo.substring(colon + 1), Mode.USER_PASSWORD);
                }
            }
            return host;
        }

        private static String parseHost(String host) {
            if (host.startsWith("[")) {
                int close = host.lastIndexOf(']');
                if (close < 0) {
                    throw new BuiltinError("missing ']' in host");
                }
                String colonPort = host.substring(close + 1);
                if (!validOptionalPort(colonPort)) {
                    throw new BuiltinError("invalid port " + GoQuote.quote(colonPort) + " after host");
                }
                int zone = host.substring(0, close).indexOf("%25");
                if (zone >= 0) {
                    return unescape(host.substring(0, zone), Mode.HOST)
                            + unescape(host.substring(zone, close), Mode.ZONE)
                            + unescape(host.substring(close), Mode.HOST);
                }
            } else {
                int colon = host.lastIndexOf(':');
                if (colon != -1) {
                    String colonPort = host.substring(colon);
                    if (!validOptionalPort(colonPort)) {
                        throw new BuiltinError("invalid port " + GoQuote.quote(colonPort) + " after host");
                    }
                }
            }
            return unescape(host, Mode.HOST);
        }

        private static boolean validUserinfo(String s) {
            for (int i = 0; i < s.length(); i++) {
                char r = s.charAt(i);
                if ((r >= 'A' && r <= 'Z')
                        || (r >= 'a' && r <= 'z')
                        || (r >= '0' && r <= '9')
                        || "-._:~!$&'()*+,;=%@".indexOf(r) >= 0) {
                    continue;
                }
                return false;
            }
            return true;
        }
    }

    private static boolean isHex(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int unhex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return 0;
    }

    /** Go's shouldEscape(c, mode) for one byte. */
    private static boolean shouldEscape(int c, Mode mode) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            return false;
        }
        if ((mode == Mode.HOST || mode == Mode.ZONE) && "!$&'()*+,;=:[]<>\"".indexOf(c) >= 0) {
            return false;
        }
        switch (c) {
            case '-', '_', '.', '~':
                return false;
            case '$', '&', '+', ',', '/', ':', ';', '=', '?', '@':
                switch (mode) {
                    case PATH:
                        return c == '?';
                    case PATH_SEGMENT:
                        return c == '/' || c == ';' || c == ',' || c == '?';
                    case USER_PASSWORD:
                        return c == '@' || c == '/' || c == '?' || c == ':';
                    case QUERY_COMPONENT:
                        return true;
                    case FRAGMENT:
                        return false;
                    default:
                        break;
                }
                break;
            default:
                break;
        }
        if (mode == Mode.FRAGMENT && (c == '!' || c == '(' || c == ')' || c == '*')) {
            return false;
        }
        return true;
    }

    /** Go's unescape: validates escapes (and host bytes), decodes %XX byte-wise. */
    private static String unescape(String str, Mode mode) {
        byte[] s = str.getBytes(StandardCharsets.UTF_8);
        int n = 0;
        for (int i = 0; i < s.length; ) {
            byte c = s[i];
            if (c == '%') {
                n++;
                if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2])) {
                    int end = Math.min(s.length, i + 3);
                    throw escapeError(s, i, end);
                }
                if (mode == Mode.HOST && unhex(s[i + 1]) < 8 && !(s[i + 1] == '2' && s[i + 2] == '5')) {
                    throw escapeError(s, i, i + 3);
                }
                if (mode == Mode.ZONE) {
                    int v = unhex(s[i + 1]) << 4 | unhex(s[i + 2]);
                    if (!(s[i + 1] == '2' && s[i + 2] == '5') && v != ' ' && shouldEscape(v, Mode.HOST)) {
                        throw escapeError(s, i, i + 3);
                    }
                }
                i += 3;
            } else {
                if ((mode == Mode.HOST || mode == Mode.ZONE) && (c & 0xff) < 0x80 && shouldEscape(c, mode)) {
                    throw new BuiltinError(
                            "invalid character " + GoQuote.quote(Character.toString((char) c)) + " in host name");
                }
                i++;
            }
        }
        if (n == 0 && !(mode == Mode.QUERY_COMPONENT && str.indexOf('+') >= 0)) {
            return str;
        }
        byte[] out = new byte[s.length];
        int j = 0;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == '%') {
                out[j++] = (byte) (unhex(s[i + 1]) << 4 | unhex(s[i + 2]));
                i += 2;
            } else if (s[i] == '+' && mode == Mode.QUERY_COMPONENT) {
                out[j++] = ' ';
            } else {
                out[j++] = s[i];
            }
        }
        return new String(out, 0, j, StandardCharsets.UTF_8);
    }

    private static BuiltinError escapeError(byte[] s, int from, int to) {
        return new BuiltinError(
                "invalid URL escape " + GoQuote.quote(new String(s, from, to - from, StandardCharsets.UTF_8)));
    }

    /** Go's escape(s, mode), over the UTF-8 bytes. */
    private static String escape(String str, Mode mode) {
        byte[] s = str.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(s.length);
        for (byte b : s) {
            int c = b & 0xff;
            if (c == ' ' && mode == Mode.QUERY_COMPONENT) {
                sb.append('+');
            } else if (shouldEscape(c, mode)) {
                sb.append('%').append("0123456789ABCDEF".charAt(c >> 4)).append("0123456789ABCDEF".charAt(c & 15));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
