package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.ANY;
import static io.opsmcp.rego.builtins.Type.NUMBER;
import static io.opsmcp.rego.builtins.Type.STRING;
import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import io.opsmcp.rego.value.Values;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code providers.aws.sign_req(request, aws_config, time_ns)}: the request object with its headers
 * signed by AWS Signature Version 4 (Authorization, host, x-amz-date, x-amz-content-sha256 for s3 and
 * glacier, x-amz-security-token with a session token), as OPA's {@code v1/topdown/providers.go} and
 * {@code internal/providers/aws/signing_v4.go} compute it — including their operand checks and messages.
 * The algorithm is AWS's "Create a signed AWS API request" (canonical request, string to sign, HMAC-SHA256
 * key derivation). The secret key never appears in results or errors.
 */
final class AwsSigV4Builtin {
    private AwsSigV4Builtin() {}

    private static final Set<String> REQUIRED_CONFIG =
            Set.of("aws_service", "aws_access_key", "aws_secret_access_key", "aws_region");
    private static final Set<String> REQUIRED_REQUEST = Set.of("method", "url");
    /** The request keys http.send accepts; sign_req checks requests the same way. */
    private static final Set<String> ALLOWED_REQUEST = Set.of(
            "method",
            "url",
            "body",
            "enable_redirect",
            "force_json_decode",
            "force_yaml_decode",
            "headers",
            "raw_body",
            "tls_use_system_certs",
            "tls_ca_cert",
            "tls_ca_cert_file",
            "tls_ca_cert_env_variable",
            "tls_client_cert",
            "tls_client_cert_file",
            "tls_client_cert_env_variable",
            "tls_client_key",
            "tls_client_key_file",
            "tls_client_key_env_variable",
            "tls_insecure_skip_verify",
            "tls_server_name",
            "timeout",
            "cache",
            "force_cache",
            "force_cache_duration_seconds",
            "raise_error",
            "caching_mode",
            "max_retry_attempts",
            "cache_ignored_headers");
    /** Headers a proxy may rewrite, left out of the signature as the AWS SDKs do. */
    private static final Set<String> IGNORED_HEADERS = Set.of("authorization", "user-agent", "x-amzn-trace-id");

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATETIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    static List<Builtin> all() {
        return List.of(Builtin.simple(
                "providers.aws.sign_req",
                args(Type.object(STRING, ANY), Type.object(STRING, ANY), NUMBER),
                Type.object(STRING, ANY),
                (a, c) -> signReq(a)));
    }

    private static Value signReq(List<Value> a) {
        if (!(a.get(0) instanceof ObjectValue request)) {
            throw BuiltinTypeError.operand(1, "object", a.get(0));
        }
        // OPA names the config "operand 1" in this one type error; kept for identical messages.
        if (!(a.get(1) instanceof ObjectValue config)) {
            throw BuiltinTypeError.operand(1, "object", a.get(1));
        }
        Set<String> configKeys = stringKeys(config.keys());
        TreeSet<String> missing = new TreeSet<>(REQUIRED_CONFIG);
        missing.removeAll(configKeys);
        if (!missing.isEmpty()) {
            throw new BuiltinTypeError("operand 2 missing required AWS config parameters(s): " + goSet(missing));
        }
        TreeSet<String> invalid = new TreeSet<>();
        for (String k : REQUIRED_CONFIG) {
            if (!(config.get(k) instanceof StringValue)) {
                invalid.add(k);
            }
        }
        if (!invalid.isEmpty()) {
            throw new BuiltinTypeError(
                    "operand 2 invalid values for required AWS config parameters(s): " + goSet(invalid));
        }
        String service = str(config.get("aws_service"));
        String accessKey = str(config.get("aws_access_key"));
        String secretKey = str(config.get("aws_secret_access_key"));
        String region = str(config.get("aws_region"));
        String sessionToken = str(config.get("aws_session_token"));

        if (!(a.get(2) instanceof NumberValue ts)) {
            throw BuiltinTypeError.operand(1, "number", a.get(2));
        }
        // Go reads the literal with strconv.ParseInt: no fraction, no exponent, 64 bits.
        if (ts.bigDecimal().scale() != 0 || ts.asLong().isEmpty()) {
            throw new BuiltinTypeError("operand 3 could not convert time_ns value into a unix timestamp");
        }
        long timeNs = ts.asLong().getAsLong();

        Set<String> requestKeys = stringKeys(request.keys());
        TreeSet<String> unknown = new TreeSet<>(requestKeys);
        unknown.removeAll(ALLOWED_REQUEST);
        if (!unknown.isEmpty()) {
            throw new BuiltinTypeError("operand 1 invalid request parameters(s): " + goSet(unknown));
        }
        TreeSet<String> missingRequest = new TreeSet<>(REQUIRED_REQUEST);
        missingRequest.removeAll(requestKeys);
        if (!missingRequest.isEmpty()) {
            throw new BuiltinTypeError("operand 1 missing required request parameters(s): " + goSet(missingRequest));
        }
        ObjectValue headers = ObjectValue.EMPTY;
        Value headersValue = request.get("headers");
        if (headersValue != null) {
            if (!(headersValue instanceof ObjectValue h)) {
                throw BuiltinTypeError.operand(0, "object", headersValue);
            }
            headers = h;
        }
        TreeSet<String> badParams = new TreeSet<>();
        if (!(request.get("url") instanceof StringValue)) {
            badParams.add("url");
        }
        if (!(request.get("method") instanceof StringValue)) {
            badParams.add("method");
        }
        if (!badParams.isEmpty()) {
            throw new BuiltinTypeError(
                    "operand 1 invalid values for required request parameters(s): " + goSet(badParams));
        }
        GoUrl url = GoUrl.parse(str(request.get("url")));
        String method = str(request.get("method"));

        byte[] body;
        if (request.get("raw_body") != null) {
            body = str(request.get("raw_body")).getBytes(StandardCharsets.UTF_8);
        } else if (request.get("body") != null) {
            body = Values.toJsonString(request.get("body")).getBytes(StandardCharsets.UTF_8);
        } else {
            body = new byte[0];
        }

        Map<String, String> requestHeaders = new LinkedHashMap<>();
        for (Map.Entry<Value, Value> e : headers.entries()) {
            requestHeaders.put(str(e.getKey()), str(e.getValue()));
        }

        boolean disablePayloadSigning = false;
        Value dps = config.get("disable_payload_signing");
        if (dps != null) {
            if (!(dps instanceof BooleanValue b)) {
                throw new BuiltinTypeError("operand 2 invalid value for 'disable_payload_signing' in AWS config");
            }
            disablePayloadSigning = b.value();
        }

        Instant now =
                Instant.ofEpochSecond(Math.floorDiv(timeNs, 1_000_000_000L), Math.floorMod(timeNs, 1_000_000_000L));
        String contentSha256 = disablePayloadSigning ? "UNSIGNED-PAYLOAD" : hex(sha256(body));
        String date = DATE.format(now);
        String dateTime = DATETIME.format(now);

        Map<String, String> awsHeaders = new LinkedHashMap<>();
        awsHeaders.put("host", url.host());
        awsHeaders.put("x-amz-date", dateTime);
        if (service.equals("s3") || service.equals("glacier")) {
            awsHeaders.put("x-amz-content-sha256", contentSha256);
        }
        if (!sessionToken.isEmpty()) {
            awsHeaders.put("x-amz-security-token", sessionToken);
        }
        TreeMap<String, String> toSign = new TreeMap<>(awsHeaders);
        for (Map.Entry<String, String> e : requestHeaders.entrySet()) {
            String lower = e.getKey().toLowerCase(Locale.ROOT);
            if (!IGNORED_HEADERS.contains(lower)) {
                toSign.put(lower, e.getValue());
            }
        }
        StringBuilder canonical = new StringBuilder()
                .append(method)
                .append('\n')
                .append(url.escapedPath())
                .append('\n')
                .append(url.rawQuery())
                .append('\n');
        for (Map.Entry<String, String> e : toSign.entrySet()) {
            canonical.append(e.getKey()).append(':').append(e.getValue()).append('\n');
        }
        canonical.append('\n');
        String signedHeaders = String.join(";", toSign.keySet());
        canonical.append(signedHeaders).append('\n').append(contentSha256);

        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + dateTime + "\n" + scope + "\n"
                + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        String signature = hex(hmac(key, stringToSign));
        String authorization = "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope + "," + "SignedHeaders="
                + signedHeaders + "," + "Signature=" + signature;

        ObjectValue.Builder signed = ObjectValue.builder();
        for (Map.Entry<String, String> e : requestHeaders.entrySet()) {
            signed.put(e.getKey(), StringValue.of(e.getValue()));
        }
        signed.put("Authorization", StringValue.of(authorization));
        for (Map.Entry<String, String> e : awsHeaders.entrySet()) {
            signed.put(e.getKey(), StringValue.of(e.getValue()));
        }
        ObjectValue.Builder out = ObjectValue.builder();
        for (Map.Entry<Value, Value> e : request.entries()) {
            out.put(e.getKey(), e.getValue());
        }
        out.put("headers", signed.build());
        return out.build();
    }

    /** OPA's {@code stringFromTerm}: the string, or "" for any other value (or none). */
    private static String str(Value v) {
        return v instanceof StringValue s ? s.value() : "";
    }

    private static Set<String> stringKeys(Collection<Value> keys) {
        Set<String> out = new TreeSet<>();
        for (Value k : keys) {
            if (k instanceof StringValue s) {
                out.add(s.value());
            }
        }
        return out;
    }

    /** A set of strings as OPA prints it: {@code {"a", "b"}}. */
    private static String goSet(Collection<String> sorted) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (String s : sorted) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            Values.jsonQuote(s, sb);
        }
        return sb.append('}').toString();
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new BuiltinError("SHA-256 unavailable");
        }
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new BuiltinError("HmacSHA256 unavailable");
        }
    }

    /**
     * The parts of Go's {@code net/url.URL} that SigV4 reads: {@code Host} (with port), the escaped path
     * ({@code EscapedPath}) and the raw query.
     */
    record GoUrl(String host, String escapedPath, String rawQuery) {
        static GoUrl parse(String raw) {
            String s = raw;
            int hash = s.indexOf('#');
            if (hash >= 0) {
                s = s.substring(0, hash);
            }
            String query = "";
            int q = s.indexOf('?');
            if (q >= 0) {
                query = s.substring(q + 1);
                s = s.substring(0, q);
            }
            int colon = s.indexOf(':');
            if (colon > 0 && s.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
                s = s.substring(colon + 1);
            }
            String host = "";
            if (s.startsWith("//")) {
                s = s.substring(2);
                int slash = s.indexOf('/');
                String authority = slash < 0 ? s : s.substring(0, slash);
                s = slash < 0 ? "" : s.substring(slash);
                int at = authority.lastIndexOf('@');
                host = at < 0 ? authority : authority.substring(at + 1);
            }
            return new GoUrl(host, escapePath(s), query);
        }

        /** Keeps a path that is already validly escaped; percent-encodes the bytes Go would otherwise. */
        private static String escapePath(String path) {
            StringBuilder sb = new StringBuilder();
            for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                boolean keep = (c >= 'a' && c <= 'z')
                        || (c >= 'A' && c <= 'Z')
                        || (c >= '0' && c <= '9')
                        || "-_.~!$&'()*+,;=:@/%".indexOf(c) >= 0;
                if (keep) {
                    sb.append((char) c);
                } else {
                    sb.append('%').append(String.format("%02X", c));
                }
            }
            return sb.toString();
        }
    }
}
