package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.BuiltinTestSupport.assertJsonError;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.callJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Values;
import org.junit.jupiter.api.Test;

/** providers.aws.sign_req against AWS's published SigV4 test vector, plus its operand checks. */
class AwsSigV4BuiltinTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final String CONFIG = "{\"aws_access_key\":\"AKIDEXAMPLE\",\"aws_secret_access_key\":\"" + SECRET
            + "\",\"aws_service\":\"service\",\"aws_region\":\"us-east-1\"}";
    /** 2015-08-30T12:36:00Z, the time of AWS's sigv4 test suite. */
    private static final String TIME = "1440938160000000000";

    @Test
    void matchesTheAwsGetVanillaVector() {
        ObjectValue out = (ObjectValue) callJson(
                "providers.aws.sign_req",
                "{\"method\":\"GET\",\"url\":\"https://example.amazonaws.com/\"}",
                CONFIG,
                TIME);
        ObjectValue headers = (ObjectValue) out.get("headers");
        assertThat(headers.get("Authorization"))
                .isEqualTo(StringValue.of(
                        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"
                                + "SignedHeaders=host;x-amz-date,"
                                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));
        assertThat(headers.get("x-amz-date")).isEqualTo(StringValue.of("20150830T123600Z"));
        assertThat(headers.get("host")).isEqualTo(StringValue.of("example.amazonaws.com"));
        assertThat(Values.toJsonString(out)).doesNotContain(SECRET);
    }

    @Test
    void s3SignsThePayloadHashUnlessDisabled() {
        String s3 = CONFIG.replace("\"service\"", "\"s3\"");
        ObjectValue signed = (ObjectValue) ((ObjectValue) callJson(
                        "providers.aws.sign_req",
                        "{\"method\":\"PUT\",\"url\":\"https://bucket.s3.amazonaws.com/k\",\"raw_body\":\"hello\"}",
                        s3,
                        TIME))
                .get("headers");
        assertThat(signed.get("x-amz-content-sha256"))
                .isEqualTo(StringValue.of("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"));
        String unsigned = s3.replace("}", ",\"disable_payload_signing\":true}");
        ObjectValue off = (ObjectValue) ((ObjectValue) callJson(
                        "providers.aws.sign_req",
                        "{\"method\":\"PUT\",\"url\":\"https://bucket.s3.amazonaws.com/k\",\"raw_body\":\"hello\"}",
                        unsigned,
                        TIME))
                .get("headers");
        assertThat(off.get("x-amz-content-sha256")).isEqualTo(StringValue.of("UNSIGNED-PAYLOAD"));
        assertThat(off.get("Authorization")).isNotEqualTo(signed.get("Authorization"));
    }

    @Test
    void rejectsBadOperandsNamingTheField() {
        assertJsonError("providers.aws.sign_req", "{\"url\":\"https://x\"}", CONFIG, TIME)
                .isInstanceOf(BuiltinTypeError.class)
                .hasMessage("operand 1 missing required request parameters(s): {\"method\"}");
        assertJsonError(
                        "providers.aws.sign_req",
                        "{\"method\":\"GET\",\"url\":\"https://x\",\"bogus\":1}",
                        CONFIG,
                        TIME)
                .hasMessage("operand 1 invalid request parameters(s): {\"bogus\"}");
        assertJsonError(
                        "providers.aws.sign_req",
                        "{\"method\":\"GET\",\"url\":\"https://x\"}",
                        "{\"aws_region\":\"x\"}",
                        TIME)
                .hasMessage("operand 2 missing required AWS config parameters(s): "
                        + "{\"aws_access_key\", \"aws_secret_access_key\", \"aws_service\"}");
        assertJsonError("providers.aws.sign_req", "{\"method\":\"GET\",\"url\":\"https://x\"}", CONFIG, "1.5")
                .hasMessage("operand 3 could not convert time_ns value into a unix timestamp");
    }
}
