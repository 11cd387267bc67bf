package io.opsmcp.tools.aws.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.tools.aws.sandbox.AwsSandbox;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** Parsing of {@code aws.accounts}: every rule names the setting it is about. */
class AwsConfigTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static JsonNode tree(String json) {
        return JSON.readTree(json);
    }

    static String account(String extra) {
        return "{\"aws\":{\"accounts\":[{\"name\":\"prod\",\"account_id\":\"123456789012\",\"environment\":\"prod\","
                + "\"default_region\":\"eu-west-1\"" + extra + "}]}}";
    }

    @Test
    void parsesAllCredentialTypesWithDefaults() {
        AwsConfig c = AwsConfig.parse(tree("""
                {"aws":{"max_attempts":5,"accounts":[
                  {"name":"prod","account_id":"123456789012","environment":"prod","default_region":"eu-west-1",
                   "regions":["eu-west-1","eu-central-1"],
                   "credentials":{"type":"assume_role","role_arn":"arn:aws:iam::123456789012:role/ops-mcp",
                                  "external_id":"ops-mcp-ext","source_profile":"ops"}},
                  {"name":"staging","account_id":"210987654321","environment":"staging","default_region":"us-east-1",
                   "credentials":{"type":"profile","profile":"staging"}},
                  {"name":"dev","account_id":"000000000001","environment":"dev","default_region":"eu-west-1"}]}}
                """));
        assertThat(c.maxAttempts()).isEqualTo(5);
        AwsAccount prod = c.accounts().get(0);
        assertThat(prod.regions()).containsExactly("eu-west-1", "eu-central-1");
        assertThat(prod.credentials())
                .isEqualTo(new CredentialsSpec.AssumeRole(
                        "arn:aws:iam::123456789012:role/ops-mcp", "ops-mcp-ext", "ops-mcp", "ops"));
        assertThat(prod.credentials().toString()).doesNotContain("ops-mcp-ext");
        assertThat(c.accounts().get(1).regions()).containsExactly("us-east-1");
        assertThat(c.accounts().get(1).credentials()).isEqualTo(new CredentialsSpec.Profile("staging"));
        assertThat(c.accounts().get(2).credentials()).isEqualTo(new CredentialsSpec.DefaultChain());
        assertThat(c.accounts().get(2).deploymentPoll().toSeconds()).isEqualTo(10);
    }

    @Test
    void errorsNameTheSetting() {
        assertThatThrownBy(() -> AwsConfig.parse(tree("{}"))).hasMessageStartingWith("aws.accounts:");
        assertThatThrownBy(() -> AwsConfig.parse(tree(account("").replace("eu-west-1", "eu-west"))))
                .hasMessage("aws.accounts[0].default_region: 'eu-west' is not a region code (like eu-west-1)");
        assertThatThrownBy(() -> AwsConfig.parse(tree(account(",\"regions\":[\"us-east-1\"]"))))
                .hasMessageStartingWith("aws.accounts[0].default_region: 'eu-west-1' must be one of regions");
        assertThatThrownBy(() -> AwsConfig.parse(tree(account("").replace("123456789012", "1234"))))
                .hasMessageStartingWith("aws.accounts[0].account_id: must be 12 digits");
        assertThatThrownBy(() -> AwsConfig.parse(tree(account(",\"credentials\":{\"type\":\"password\"}"))))
                .hasMessage(
                        "aws.accounts[0].credentials.type: must be default, profile or assume_role, not 'password'");
        assertThatThrownBy(() -> AwsConfig.parse(tree(account(
                        ",\"credentials\":{\"type\":\"assume_role\"," + "\"role_arn\":\"arn:aws:iam::1:user/x\"}"))))
                .hasMessageStartingWith("aws.accounts[0].credentials.role_arn: must be an IAM role ARN");
        assertThatThrownBy(() -> AwsConfig.parse(tree(account(",\"regon\":\"x\""))))
                .hasMessageStartingWith("aws.accounts[0].regon: unknown setting");
        String one = "{\"name\":\"prod\",\"account_id\":\"123456789012\",\"environment\":\"prod\","
                + "\"default_region\":\"eu-west-1\"}";
        String twice = "{\"aws\":{\"accounts\":[" + one + "," + one + "]}}";
        assertThatThrownBy(() -> AwsConfig.parse(tree(twice)))
                .hasMessageStartingWith("aws.accounts[1].name: 'prod' is already used");
    }

    @Test
    void aMisspeltKeyOrAWrongTypeIsRefusedNamingIt() {
        assertThatThrownBy(() -> AwsConfig.parse(tree("{\"aws\":{\"acounts\":[]}}")))
                .hasMessage("aws.acounts: unknown setting; valid: accounts, iam_tools, max_attempts");
        assertThatThrownBy(() -> AwsConfig.parse(tree(account(",\"deployment_poll_seconds\":\"ten\""))))
                .hasMessageStartingWith("aws.accounts[0].deployment_poll_seconds:");
        assertThatThrownBy(() -> AwsConfig.parse(tree(account(",\"regions\":\"eu-west-1\""))))
                .hasMessageStartingWith("aws.accounts[0].regions:");
    }

    @Test
    void staticCredentialsOnlyForALoopbackEndpoint() {
        String keys =
                ",\"credentials\":{\"type\":\"static\",\"access_key_id\":\"k\",\"secret_access_key\":\"s3cr3t-value\"}";
        assertThatThrownBy(() -> AwsConfig.parse(tree(account(keys))))
                .hasMessageStartingWith("aws.accounts[0].credentials.type: static credentials are only accepted");
        assertThatThrownBy(() -> AwsConfig.parse(tree(account(keys + ",\"endpoint_url\":\"https://ecs.example.com\""))))
                .hasMessageStartingWith("aws.accounts[0].credentials.type: static credentials are only accepted");
        AwsConfig ok = AwsConfig.parse(tree(account(keys + ",\"endpoint_url\":\"http://127.0.0.1:8080\"")));
        assertThat(ok.accounts().get(0).credentials().toString()).doesNotContain("s3cr3t-value");
    }

    @Test
    void sandboxAddsItsAccountWithFakeKeysAndReservesItsName() {
        try (AwsSandbox sandbox = AwsSandbox.start(10)) {
            JsonNode configured = sandbox.configure(tree(account("")));
            AwsConfig c = AwsConfig.parse(configured);
            assertThat(c.accounts()).extracting(AwsAccount::name).containsExactly("prod", "sandbox");
            AwsAccount s = c.accounts().get(1);
            assertThat(s.environment()).isEqualTo("prod");
            assertThat(s.defaultRegion()).isEqualTo("eu-west-1");
            assertThat(s.endpointUrl().getHost()).isEqualTo("127.0.0.1");
            CredentialsSpec.Static keys = (CredentialsSpec.Static) s.credentials();
            assertThat(keys.accessKeyId()).doesNotMatch("^(AKIA|ASIA).*");
            assertThatThrownBy(() -> sandbox.configure(configured))
                    .hasMessageContaining("'sandbox' is configured; the name is reserved for --sandbox");
            assertThat(sandbox.configure(JsonNodeFactory.instance.objectNode())
                            .get("aws")
                            .get("accounts"))
                    .hasSize(1);
        }
    }
}
