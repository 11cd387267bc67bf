package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.BuiltinTestSupport.assertJsonError;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.callJson;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.StringValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetCidrBuiltinsTest {

    private static SetValue strings(String... s) {
        return SetValue.of(java.util.Arrays.stream(s)
                .map(x -> (io.opsmcp.rego.value.Value) StringValue.of(x))
                .toList());
    }

    @Test
    void containsAddressesAndSubnets() {
        assertThat(callJson("net.cidr_contains", "\"10.0.0.0/8\"", "\"10.1.0.0/24\""))
                .isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("net.cidr_contains", "\"10.0.0.0/8\"", "\"11.0.0.1\""))
                .isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("net.cidr_contains", "\"2001:4860:4860::8888/32\"", "\"2001:4860:4860:1234::8888/40\""))
                .isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("net.cidr_contains", "\"10.0.0.0/24\"", "\"10.0.0.0/16\""))
                .isEqualTo(BooleanValue.FALSE);
        assertJsonError("net.cidr_contains", "\"not-a-cidr\"", "\"192.168.1.67\"")
                .isInstanceOf(BuiltinError.class)
                .hasMessage("invalid CIDR address: not-a-cidr");
        assertJsonError("net.cidr_contains", "\"192.168.1.0/28\"", "\"not-a-cidr\"")
                .isInstanceOf(BuiltinError.class);
    }

    @Test
    void intersectsAndIsValid() {
        assertThat(callJson("net.cidr_intersects", "\"fd1e:5bfe:8af3:9ddc::/64\"", "\"fd1e:5bfe:8af3:9ddc:1111::/72\""))
                .isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("net.cidr_intersects", "\"fd1e:5bfe:8af3:9ddc::/64\"", "\"2001:4860:4860::8888/32\""))
                .isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("net.cidr_is_valid", "\"192.168.0.0/30\"")).isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("net.cidr_is_valid", "\"192.168.0.500/30\"")).isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("net.cidr_is_valid", "\"192.168.01.0/30\"")).isEqualTo(BooleanValue.FALSE);
    }

    @Test
    void expandIncludesNetworkAndBroadcast() {
        assertThat(callJson("net.cidr_expand", "\"192.168.1.1/30\""))
                .isEqualTo(strings("192.168.1.0", "192.168.1.1", "192.168.1.2", "192.168.1.3"));
        assertThat(callJson("net.cidr_expand", "\"2002::1234:abcd:ffff:c0a8:101/127\""))
                .isEqualTo(strings("2002::1234:abcd:ffff:c0a8:100", "2002::1234:abcd:ffff:c0a8:101"));
        assertJsonError("net.cidr_expand", "\"192.168.1.1/33\"").hasMessage("invalid CIDR address: 192.168.1.1/33");
    }

    @Test
    void mergeJoinsAdjacentAndContainedNetworks() {
        assertThat(callJson("net.cidr_merge", "[\"192.0.128.0/24\", \"192.0.129.0/24\"]"))
                .isEqualTo(strings("192.0.128.0/23"));
        assertThat(callJson("net.cidr_merge", "[\"10.0.0.0/8\", \"10.0.1.0/24\"]"))
                .isEqualTo(strings("10.0.0.0/8"));
        assertThat(
                        callJson(
                                "net.cidr_merge",
                                "[\"2601:600:8a80:207e:a57d:7567:e2c9:e7b3/64\", \"2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128\"]"))
                .isEqualTo(strings("2601:600:8a80:207e::/64"));
        assertThat(
                        callJson(
                                "net.cidr_merge",
                                "[\"2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128\",\"2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128\"]"))
                .isEqualTo(strings("2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128"));
        assertThat(callJson("net.cidr_merge", "[\"1.1.1.0/25\", \"1.1.1.128/26\", \"1.1.1.192/26\"]"))
                .isEqualTo(strings("1.1.1.0/24"));
        assertJsonError("net.cidr_merge", "[\"2601:600:8a80:207e:a57d:7567:e2c9:e7b3\"]")
                .hasMessage("IPv6 invalid: needs prefix length");
    }

    @Test
    void containsMatchesReportsIndexes() {
        assertThat(callJson(
                        "net.cidr_contains_matches", "[\"1.1.2.0/24\", \"1.1.1.0/24\"]", "[\"1.1.1.1\", \"1.1.2.1\"]"))
                .isEqualTo(
                        json("[[0,1],[1,0]]") instanceof io.opsmcp.rego.value.ArrayValue a
                                ? SetValue.of(a.elements())
                                : null);
        assertThat(callJson(
                        "net.cidr_contains_matches",
                        "[[\"1.1.2.0/24\", 1], \"1.1.1.0/24\"]",
                        "[\"1.1.1.1\", \"1.1.2.1\"]"))
                .isEqualTo(SetValue.of(List.of(json("[0,1]"), json("[1,0]"))));
        assertJsonError("net.cidr_contains_matches", "[\"1.1.1.0/24\"]", "[1]")
                .hasMessage("operand 2: element must be string or non-empty array");
    }
}
