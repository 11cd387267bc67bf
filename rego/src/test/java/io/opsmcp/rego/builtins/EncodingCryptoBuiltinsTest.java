package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.BuiltinTestSupport.assertJsonError;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.call;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.callJson;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncodingCryptoBuiltinsTest {

    private static StringValue s(String v) {
        return StringValue.of(v);
    }

    @Test
    void base64Family() {
        assertThat(callJson("base64.encode", "\"subjects?_d\"")).isEqualTo(s("c3ViamVjdHM/X2Q="));
        assertThat(callJson("base64.decode", "\"aGVsbG8=\"")).isEqualTo(s("hello"));
        assertThat(callJson("base64.is_valid", "\"aGVsbG8\"")).isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("base64url.encode", "\"subjects?_d\"")).isEqualTo(s("c3ViamVjdHM_X2Q="));
        assertThat(callJson("base64url.encode_no_pad", "\"subjects?_d\"")).isEqualTo(s("c3ViamVjdHM_X2Q"));
        assertThat(callJson("base64url.decode", "\"c3ViamVjdHM_X2Q\"")).isEqualTo(s("subjects?_d"));
        assertJsonError("base64.decode", "\"aGVsbG8\"").isInstanceOf(BuiltinError.class);
    }

    @Test
    void hexAndUrlQuery() {
        assertThat(callJson("hex.encode", "\"lorem\"")).isEqualTo(s("6c6f72656d"));
        assertThat(callJson("hex.decode", "\"6c6f72656d\"")).isEqualTo(s("lorem"));
        assertJsonError("hex.decode", "\"6g\"").isInstanceOf(BuiltinError.class);
        assertThat(callJson("urlquery.encode", "\"a b&c=d~*\"")).isEqualTo(s("a+b%26c%3Dd~%2A"));
        assertThat(callJson("urlquery.decode", "\"a+b%26c\"")).isEqualTo(s("a b&c"));
        assertJsonError("urlquery.decode", "\"%zz\"").hasMessage("invalid URL escape \"%zz\"");
        assertThat(callJson("urlquery.encode_object", "{\"b\":[\"2\",\"1\"],\"a\":\"x y\"}"))
                .isEqualTo(s("a=x+y&b=2&b=1"));
        assertThat(callJson("urlquery.decode_object", "\"a=1&b=2&a=3\""))
                .isEqualTo(json("{\"a\":[\"1\",\"3\"],\"b\":[\"2\"]}"));
    }

    @Test
    void jsonAndYaml() {
        assertThat(callJson("json.marshal", "[{\"foo\":[1,2,3]}]")).isEqualTo(s("[{\"foo\":[1,2,3]}]"));
        assertThat(callJson("json.unmarshal", "\"{\\\"a\\\": [1, 2.5]}\"")).isEqualTo(json("{\"a\":[1,2.5]}"));
        assertThat(callJson("json.is_valid", "\"{\"")).isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("json.is_valid", "\"plainstring\"")).isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("json.is_valid", "1")).isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("json.marshal_with_options", "{\"a\":[1]}", "{\"indent\":\"  \"}"))
                .isEqualTo(s("{\n  \"a\": [\n    1\n  ]\n}"));
        Value yaml = callJson("yaml.marshal", "[{\"foo\":[1,2,3]}]");
        assertThat(callJson("yaml.unmarshal", Values2.quote(((StringValue) yaml).value())))
                .isEqualTo(json("[{\"foo\":[1,2,3]}]"));
        assertThat(callJson("yaml.is_valid", "\"foo:\\n  - qux: bar\\n  - baz: {\""))
                .isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("yaml.is_valid", "\"a: 1\\n---\\n\\tb: 2\\n\"")).isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("yaml.is_valid", "\"a: 1\\n---\\nb: 2\\n\"")).isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("yaml.is_valid", "\"  test:\\ntest1: hello\\n\"")).isEqualTo(BooleanValue.FALSE);
    }

    /** JSON string literal of a Java string. */
    private static final class Values2 {
        static String quote(String s) {
            StringBuilder sb = new StringBuilder();
            io.opsmcp.rego.value.Values.jsonQuote(s, sb);
            return sb.toString();
        }
    }

    @Test
    void digestsAndHmacs() {
        assertThat(callJson("crypto.sha256", "\"hello\""))
                .isEqualTo(s("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"));
        assertThat(callJson("crypto.md5", "\"hello\"")).isEqualTo(s("5d41402abc4b2a76b9719d911017c592"));
        assertThat(callJson("crypto.sha1", "\"hello\"")).isEqualTo(s("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"));
        assertThat(callJson("crypto.hmac.sha256", "\"hello\"", "\"key\""))
                .isEqualTo(s("9307b3b915efb5171ff14d8cb55fbcc798c6c0ef1456d66ded1a6aa723a58b7b"));
        assertThat(callJson("crypto.hmac.equal", "\"abc\"", "\"abc\"")).isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("crypto.hmac.equal", "\"abc\"", "\"abd\"")).isEqualTo(BooleanValue.FALSE);
    }

    @Test
    void uuidIsStablePerQueryAndKey() {
        BuiltinTestSupport.Ctx q1 = new BuiltinTestSupport.Ctx(0);
        Value a = call(q1, "uuid.rfc4122", List.of(s("k")));
        assertThat(call(q1, "uuid.rfc4122", List.of(s("k")))).isEqualTo(a);
        assertThat(call(q1, "uuid.rfc4122", List.of(s("other")))).isNotEqualTo(a);
        assertThat(call(new BuiltinTestSupport.Ctx(0), "uuid.rfc4122", List.of(s("k"))))
                .isNotEqualTo(a);
        assertThat(((StringValue) a).value())
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }
}
