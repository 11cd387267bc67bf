package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.ANY_OBJECT;
import static io.opsmcp.rego.builtins.Type.NUMBER;
import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import io.opsmcp.rego.value.Values;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code providers.aws.sign_req(request, aws_config, time_ns)}: signs an http.send-style request
 * object with AWS Signature Version 4 (the algorithm of OPA's {@code internal/providers/aws}
 * signing, after AWS's "Create a signed AWS API request"): adds {@code host}, {@code x-amz-date},
 * {@code x-amz-content-sha256} (s3 and glacier), {@code x-amz-security-token} (with a session
 * token) and the {@code Authorization} header. It only computes; nothing is sent.
 */
final class ProvidersAwsBuiltins {
  private ProvidersAwsBuiltins() {}

  private static final List<String> REQUIRED_CONFIG = List.of("aws_service", "aws_access_key", "aws_secret_access_key", "aws_region");
  /** The request keys http.send accepts (OPA validates the request the same way). */
  private static final Set<String> REQUEST_KEYS = Set.of("method", "url", "body", "enable_redirect", "force_json_decode",
      "force_yaml_decode", "headers", "raw_body", "tls_use_system_certs", "tls_ca_cert", "tls_ca_cert_file",
      "tls_ca_cert_env_variable", "tls_client_cert", "tls_client_cert_file", "tls_client_cert_env_variable",
      "tls_client_key", "tls_client_key_file", "tls_client_key_env_variable", "tls_insecure_skip_verify",
      "tls_server_name", "timeout", "cache", "force_cache", "force_cache_duration_seconds", "raise_error",
      "caching_mode", "max_retry_attempts", "cache_ignored_headers");
  /** Headers a proxy may change: never signed (as the AWS SDK and OPA). */
  private static final Set<String> IGNORED = Set.of("authorization", "user-agent", "x-amzn-trace-id");
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  static List<Builtin> all() {
    return List.of(Builtin.simple("providers.aws.sign_req", args(ANY_OBJECT, ANY_OBJECT, NUMBER), ANY_OBJECT,
        ProvidersAwsBuiltins::signReq));
  }

  private static Value signReq(List<Value> args, BuiltinContext ctx) {
    ObjectValue req = Operands.object(args, 0);
    ObjectValue config = Operands.object(args, 1);
    checkConfig(config);
    long ns = timestamp(Operands.number(args, 2));
    checkRequest(req);
    Value headersV = req.get(StringValue.of("headers"));
    if (headersV != null && !(headersV instanceof ObjectValue)) {
      throw BuiltinTypeError.operand(1, "object", headersV);
    }
    SetValue.Builder invalid = SetValue.builder();
    if (!(req.get(StringValue.of("url")) instanceof StringValue)) {
      invalid.add(StringValue.of("url"));
    }
    if (!(req.get(StringValue.of("method")) instanceof StringValue)) {
      invalid.add(StringValue.of("method"));
    }
    if (invalid.size() > 0) {
      throw new BuiltinTypeError("operand 1 invalid values for required request parameters(s): " + invalid.build());
    }
    URI url;
    try {
      url = new URI(str(req.get(StringValue.of("url"))));
    } catch (URISyntaxException e) {
      throw new BuiltinError("parse " + GoQuote.quote(str(req.get(StringValue.of("url")))) + ": " + e.getReason());
    }
    String method = str(req.get(StringValue.of("method")));
    byte[] body = body(req);
    boolean unsignedPayload = false;
    Value dps = config.get(StringValue.of("disable_payload_signing"));
    if (dps != null) {
      if (!(dps instanceof BooleanValue b)) {
        throw new BuiltinTypeError("operand 2 invalid value for 'disable_payload_signing' in AWS config");
      }
      unsignedPayload = b.value();
    }
    // request headers with their string values (others become "", as OPA's objectToMap)
    Map<String, String> headers = new TreeMap<>();
    if (headersV instanceof ObjectValue ho) {
      for (Map.Entry<Value, Value> e : ho.unorderedEntries()) {
        headers.put(str(e.getKey()), str(e.getValue()));
      }
    }
    String service = str(config.get(StringValue.of("aws_service")));
    String region = str(config.get(StringValue.of("aws_region")));
    String token = config.get(StringValue.of("aws_session_token")) == null ? "" : str(config.get(StringValue.of("aws_session_token")));
    Instant at = Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
    String date = DATE.format(at);
    String stamp = STAMP.format(at);
    String payloadHash = unsignedPayload ? "UNSIGNED-PAYLOAD" : hex(sha256(body));

    Map<String, String> awsHeaders = new TreeMap<>();
    awsHeaders.put("host", url.getRawAuthority() == null ? "" : hostOf(url));
    awsHeaders.put("x-amz-date", stamp);
    if (service.equals("s3") || service.equals("glacier")) {
      awsHeaders.put("x-amz-content-sha256", payloadHash);
    }
    if (!token.isEmpty()) {
      awsHeaders.put("x-amz-security-token", token);
    }
    Map<String, String> toSign = new TreeMap<>(awsHeaders);
    headers.forEach((k, v) -> {
      String lk = k.toLowerCase(java.util.Locale.ROOT);
      if (!IGNORED.contains(lk)) {
        toSign.put(lk, v);
      }
    });
    StringBuilder canonical = new StringBuilder();
    canonical.append(method).append('\n');
    canonical.append(url.getRawPath() == null ? "" : url.getRawPath()).append('\n');
    canonical.append(url.getRawQuery() == null ? "" : url.getRawQuery()).append('\n');
    toSign.forEach((k, v) -> canonical.append(k).append(':').append(v).append('\n'));
    canonical.append('\n');
    String signedHeaders = String.join(";", toSign.keySet());
    canonical.append(signedHeaders).append('\n').append(payloadHash);
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String stringToSign = "AWS4-HMAC-SHA256\n" + stamp + "\n" + scope + "\n"
        + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + str(config.get(StringValue.of("aws_secret_access_key")))).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String signature = hex(hmac(key, stringToSign));
    String auth = "AWS4-HMAC-SHA256 Credential=" + str(config.get(StringValue.of("aws_access_key"))) + "/" + scope
        + ",SignedHeaders=" + signedHeaders + ",Signature=" + signature;

    ObjectValue.Builder signed = ObjectValue.builder();
    headers.forEach((k, v) -> signed.put(k, StringValue.of(v)));
    signed.put("Authorization", StringValue.of(auth));
    awsHeaders.forEach((k, v) -> signed.put(k, StringValue.of(v)));
    ObjectValue.Builder out = ObjectValue.builder();
    for (Map.Entry<Value, Value> e : req.unorderedEntries()) {
      out.put(e.getKey(), e.getValue());
    }
    return out.put("headers", signed.build()).build();
  }

  private static void checkConfig(ObjectValue config) {
    SetValue.Builder missing = SetValue.builder();
    SetValue.Builder invalid = SetValue.builder();
    for (String k : REQUIRED_CONFIG) {
      Value v = config.get(StringValue.of(k));
      if (v == null) {
        missing.add(StringValue.of(k));
      } else if (!(v instanceof StringValue)) {
        invalid.add(StringValue.of(k));
      }
    }
    if (missing.size() > 0) {
      throw new BuiltinTypeError("operand 2 missing required AWS config parameters(s): " + missing.build());
    }
    if (invalid.size() > 0) {
      throw new BuiltinTypeError("operand 2 invalid values for required AWS config parameters(s): " + invalid.build());
    }
  }

  /** time_ns must be written as an integer that fits 64 bits (Go's json.Number.Int64). */
  private static long timestamp(NumberValue n) {
    BigDecimal v = n.bigDecimal();
    if (v.scale() != 0) {
      // a fraction or an exponent in the literal: Go's strconv.ParseInt refuses it
      throw new BuiltinTypeError("operand 3 could not convert time_ns value into a unix timestamp");
    }
    try {
      return v.longValueExact();
    } catch (ArithmeticException e) {
      throw new BuiltinTypeError("operand 3 could not convert time_ns value into a unix timestamp");
    }
  }

  private static void checkRequest(ObjectValue req) {
    SetValue.Builder missing = SetValue.builder();
    for (String k : List.of("method", "url")) {
      if (req.get(StringValue.of(k)) == null) {
        missing.add(StringValue.of(k));
      }
    }
    if (missing.size() > 0) {
      throw new BuiltinTypeError("operand 1 missing required request parameters(s): " + missing.build());
    }
    SetValue.Builder unknown = SetValue.builder();
    for (Value k : req.keys()) {
      if (!(k instanceof StringValue s) || !REQUEST_KEYS.contains(s.value())) {
        unknown.add(k);
      }
    }
    if (unknown.size() > 0) {
      throw new BuiltinTypeError("operand 1 invalid request parameters(s): " + unknown.build());
    }
  }

  /** raw_body as given, else body as compact JSON (sets as arrays, keys sorted), else nothing. */
  private static byte[] body(ObjectValue req) {
    Value raw = req.get(StringValue.of("raw_body"));
    if (raw != null) {
      return str(raw).getBytes(StandardCharsets.UTF_8);
    }
    Value body = req.get(StringValue.of("body"));
    return body == null ? new byte[0] : Values.toJsonString(body).getBytes(StandardCharsets.UTF_8);
  }

  /** Go's url.URL.Host: host and port, without user info. */
  private static String hostOf(URI url) {
    String auth = url.getRawAuthority();
    int at = auth.lastIndexOf('@');
    return at >= 0 ? auth.substring(at + 1) : auth;
  }

  private static String str(Value v) {
    return v instanceof StringValue s ? s.value() : "";
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String msg) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(msg.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
