package io.opsmcp.tools.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.redact.Redactor;
import io.opsmcp.tools.aws.sandbox.AwsSandbox;
import io.opsmcp.tools.aws.sandbox.SandboxIam;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The IAM tools against the stateful sandbox ({@link SandboxIam}): the leaked-key look-up, the access review, each
 * change's descriptor, dry run and effect, and that no key id or password ever appears whole in what a tool says.
 */
class IamToolsTest {

    static final String LEAKED_MASKED = "AKIA…K3D7";
    /** The server's redactor with the toolset's rules, as the gateway applies it to every result. */
    static final Redactor REDACTOR = new Redactor(AwsRedaction.RULES);

    AwsSandbox sandbox;
    AwsToolset toolset;

    @BeforeEach
    void start() {
        sandbox = AwsSandbox.start(1_000);
        toolset = Fixtures.toolset(withIam(sandbox.configure(JsonNodeFactory.instance.objectNode())), List.of());
    }

    @AfterEach
    void stop() {
        toolset.close();
        sandbox.close();
    }

    /**
     * The result without {@code requests}, whose wire member names ({@code AccessKeyId}, {@code SecretId},
     * {@code Password}) the server blanks whatever they hold; everything else must reach the user as it is.
     */
    private static JsonNode withoutRequests(ToolResult r) {
        ObjectNode copy = (ObjectNode) r.structuredContent().deepCopy();
        copy.remove("requests");
        return copy;
    }

    /** The settings with {@code aws.iam_tools: true} (the IAM tools are off by default). */
    static ObjectNode withIam(tools.jackson.databind.JsonNode settings) {
        ObjectNode copy = (ObjectNode) settings.deepCopy();
        ((ObjectNode) copy.get("aws")).put("iam_tools", true);
        return copy;
    }

    private static String all(ToolResult r) {
        return r.text() + "\n" + r.structuredContent();
    }

    @Test
    void aLeakedKeyIsTracedToItsUserWithoutShowingTheWholeId() {
        ToolResult r = Fixtures.call(
                toolset, "iam_access_key_lookup", "{\"access_key_id\":\"" + SandboxIam.LEAKED_KEY + "\"}");
        JsonNode out = r.structuredContent();
        assertThat(out.get("owner_account_id").asString()).isEqualTo("111122223333");
        assertThat(out.get("owner_account").asString()).isEqualTo("sandbox");
        assertThat(out.get("user_name").asString()).isEqualTo("deploy-bot");
        assertThat(out.get("status").asString()).isEqualTo("Active");
        assertThat(out.get("key").asString()).isEqualTo(LEAKED_MASKED);
        assertThat(out.get("last_used").get("service").asString()).isEqualTo("s3");
        assertThat(r.text()).contains("iam_deactivate_access_key");
        assertThat(all(r)).doesNotContain(SandboxIam.LEAKED_KEY);
        assertThat(REDACTOR.redact(out)).isEqualTo(out);
    }

    @Test
    void aKeyOfAnUnconfiguredAccountIsNotLookedUpFurther() {
        ToolResult r = Fixtures.call(toolset, "iam_access_key_lookup", "{\"access_key_id\":\"AKIA0000000000000000\"}");
        assertThat(r.structuredContent().get("owner_account_id").asString()).isEqualTo(SandboxIam.FOREIGN_ACCOUNT);
        assertThat(r.structuredContent().has("owner_account")).isFalse();
        assertThat(r.structuredContent().has("user_name")).isFalse();
        assertThat(r.text()).contains("not a configured account");
    }

    @Test
    void theAccessReviewFlagsStaleKeysAndConsoleWithoutMfa() {
        JsonNode etl = Fixtures.call(toolset, "iam_user_access", "{\"user_name\":\"old-etl\"}")
                .structuredContent();
        assertThat(etl.has("console")).isFalse();
        assertThat(etl.get("access_keys").get(0).get("stale").asBoolean()).isTrue();
        assertThat(etl.get("access_keys").get(0).get("rotate").asBoolean()).isTrue();
        assertThat(etl.get("inline_policies").get(0).asString()).isEqualTo("etl-glue");
        assertThat(etl.get("findings").toString()).contains("unused for 45+ days");

        JsonNode maria = Fixtures.call(toolset, "iam_user_access", "{\"user_name\":\"maria\"}")
                .structuredContent();
        assertThat(maria.get("console").get("enabled").asBoolean()).isTrue();
        assertThat(maria.get("console").get("password_reset_required").asBoolean())
                .isFalse();
        assertThat(maria.get("mfa_devices")).hasSize(1);
        assertThat(maria.get("groups").get(0).asString()).isEqualTo("developers");
        assertThat(maria.get("findings")).isEmpty();

        JsonNode alex = Fixtures.call(toolset, "iam_user_access", "{\"user_name\":\"alex\"}")
                .structuredContent();
        assertThat(alex.get("findings").toString()).contains("console password without MFA");
        assertThat(alex.get("access_keys").get(0).has("last_used")).isFalse();
        assertThat(alex.get("access_keys").get(0).get("stale").asBoolean()).isFalse();

        assertThatThrownBy(() -> Fixtures.call(toolset, "iam_user_access", "{\"user_name\":\"nobody\"}"))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("IAM user nobody was not found in account sandbox");
    }

    @Test
    void deactivationIsAnAccessKeyChangePreviewedThenApplied() {
        String args = "{\"user_name\":\"deploy-bot\",\"access_key_id\":\"" + SandboxIam.LEAKED_KEY + "\"";
        ActionDescriptor d = Fixtures.tool(toolset, "iam_deactivate_access_key")
                .describe(Fixtures.args(args + "}"), new Fixtures.Recorder().ctx);
        assertThat(d.kind()).isEqualTo("iam:access-key");
        assertThat(d.name()).isEqualTo(LEAKED_MASKED);
        assertThat(d.environment()).isEqualTo("prod");
        assertThat(d.ids())
                .containsEntry("user_name", "deploy-bot")
                .containsEntry("key", LEAKED_MASKED)
                .containsEntry("account", "sandbox");
        assertThat(d.change().summary()).contains("Active -> Inactive");
        assertThat(d.destructive()).isFalse();

        ToolResult dry = Fixtures.call(toolset, "iam_deactivate_access_key", args + ",\"dry_run\":true}");
        assertThat(dry.structuredContent().get("dry_run").asBoolean()).isTrue();
        assertThat(dry.structuredContent()
                        .get("requests")
                        .get(0)
                        .get("operation")
                        .asString())
                .isEqualTo("iam:UpdateAccessKey");
        assertThat(all(dry)).doesNotContain(SandboxIam.LEAKED_KEY);
        assertThat(sandbox.iam().keyStatus(SandboxIam.LEAKED_KEY)).contains("Active");

        ToolResult applied = Fixtures.call(toolset, "iam_deactivate_access_key", args + "}");
        assertThat(applied.structuredContent().get("applied").get("status").asString())
                .isEqualTo("Inactive");
        assertThat(all(applied)).doesNotContain(SandboxIam.LEAKED_KEY);
        assertThat(sandbox.iam().keyStatus(SandboxIam.LEAKED_KEY)).contains("Inactive");
        JsonNode review = Fixtures.call(toolset, "iam_user_access", "{\"user_name\":\"deploy-bot\"}")
                .structuredContent();
        assertThat(review.get("access_keys").get(0).get("status").asString()).isEqualTo("Inactive");
        assertThat(review.get("access_keys").get(0).get("key").asString()).isEqualTo(LEAKED_MASKED);
        assertThat(REDACTOR.redact(review)).isEqualTo(review);
        assertThat(REDACTOR.redact(withoutRequests(applied))).isEqualTo(withoutRequests(applied));

        assertThatThrownBy(() -> Fixtures.call(toolset, "iam_deactivate_access_key", args + "}"))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("already Inactive");
    }

    @Test
    void theMaskedFormIsAcceptedForTheSameUserOnly() {
        Fixtures.call(
                toolset, "iam_deactivate_access_key", "{\"user_name\":\"old-etl\",\"access_key_id\":\"AKIA...LE01\"}");
        assertThat(sandbox.iam().keyStatus(SandboxIam.STALE_KEY)).contains("Inactive");
        assertThatThrownBy(() -> Fixtures.call(
                        toolset,
                        "iam_deactivate_access_key",
                        "{\"user_name\":\"alex\",\"access_key_id\":\"AKIA…K3D7\"}"))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("has no access key AKIA…K3D7")
                .hasMessageContaining("its keys: AKIA…XK3Y (Active)");
    }

    @Test
    void onlyAnInactiveKeyIsDeletedAndDeletionIsDestructive() {
        assertThat(Fixtures.tool(toolset, "iam_delete_access_key").definition().destructive())
                .isTrue();
        assertThatThrownBy(() -> Fixtures.call(
                        toolset,
                        "iam_delete_access_key",
                        "{\"user_name\":\"deploy-bot\",\"access_key_id\":\"" + SandboxIam.LEAKED_KEY + "\"}"))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("deactivate it first");
        ToolResult r = Fixtures.call(
                toolset,
                "iam_delete_access_key",
                "{\"user_name\":\"deploy-bot\",\"access_key_id\":\"" + SandboxIam.DEPLOY_OLD_KEY + "\"}");
        assertThat(r.structuredContent().get("destructive").asBoolean()).isTrue();
        assertThat(sandbox.iam().keyStatus(SandboxIam.DEPLOY_OLD_KEY)).isEmpty();
    }

    @Test
    void requiringAPasswordResetSetsOnlyTheFlag() {
        ObjectNode args = Fixtures.args("{\"user_name\":\"maria\"}");
        ActionDescriptor d =
                Fixtures.tool(toolset, "iam_require_password_reset").describe(args, new Fixtures.Recorder().ctx);
        assertThat(d.kind()).isEqualTo("iam:user");
        assertThat(d.name()).isEqualTo("maria");
        Fixtures.call(toolset, "iam_require_password_reset", "{\"user_name\":\"maria\"}");
        assertThat(sandbox.iam().passwordResetRequired("maria")).isTrue();
        assertThat(sandbox.iam().secretVersions("maria")).isEmpty();
        assertThatThrownBy(() -> Fixtures.call(toolset, "iam_require_password_reset", "{\"user_name\":\"deploy-bot\"}"))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("has no console password");
    }

    @Test
    void aResetPasswordGoesToTheSecretAndNowhereElse() {
        ToolResult dry =
                Fixtures.call(toolset, "iam_reset_console_password", "{\"user_name\":\"maria\",\"dry_run\":true}");
        assertThat(dry.text()).contains("ops-mcp/console-password/maria");
        assertThat(sandbox.iam().secretVersions("maria")).isEmpty();

        ToolResult r = Fixtures.call(toolset, "iam_reset_console_password", "{\"user_name\":\"maria\"}");
        List<SandboxIam.SecretVersion> versions = sandbox.iam().secretVersions("maria");
        assertThat(versions).hasSize(1);
        JsonNode secret = Fixtures.JSON.readTree(versions.get(0).value());
        String password = secret.get("password").asString();
        assertThat(password).hasSize(32);
        assertThat(secret.get("user_name").asString()).isEqualTo("maria");
        assertThat(sandbox.iam().passwordResetRequired("maria")).isTrue();

        JsonNode delivered = r.structuredContent().get("applied").get("delivered_to");
        assertThat(delivered.get("name").asString()).isEqualTo("ops-mcp/console-password/maria");
        assertThat(delivered.get("account_id").asString()).isEqualTo("111122223333");
        assertThat(delivered.get("region").asString()).isEqualTo("eu-west-1");
        assertThat(delivered.get("version_id").asString())
                .isEqualTo(versions.get(0).versionId());
        // what the user needs survives the server's redaction (an ARN's ":secret:NAME" would not)
        assertThat(REDACTOR.redact(withoutRequests(r))).isEqualTo(withoutRequests(r));
        assertThat(REDACTOR.redact(r.text())).contains("Secrets Manager secret ops-mcp/console-password/maria");
        assertThat(all(r)).doesNotContain(password);
        assertThat(all(dry)).doesNotContain(password);
    }

    @Test
    void aResetForAUserWithoutASecretFailsBeforeAnyPasswordIsSet() {
        // old-etl has no console password; alex has one and a secret; deploy-bot has neither
        assertThatThrownBy(() -> Fixtures.call(toolset, "iam_reset_console_password", "{\"user_name\":\"old-etl\"}"))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("no console password");
        ObjectNode settings = withIam(sandbox.configure(JsonNodeFactory.instance.objectNode()));
        ((ObjectNode) settings.get("aws").get("accounts").get(0)).remove("password_reset_secret");
        try (AwsToolset noSecret = Fixtures.toolset(settings, List.of())) {
            assertThatThrownBy(() -> Fixtures.call(noSecret, "iam_reset_console_password", "{\"user_name\":\"maria\"}"))
                    .isInstanceOf(ToolException.class)
                    .hasMessageContaining("has no password_reset_secret");
        }
        assertThat(sandbox.iam().secretVersions("maria")).isEmpty();
    }

    @Test
    void aLostMfaDeviceIsDeactivatedDestructively() {
        String serial = "arn:aws:iam::111122223333:mfa/maria";
        ToolResult r = Fixtures.call(
                toolset, "iam_deactivate_mfa_device", "{\"user_name\":\"maria\",\"serial_number\":\"" + serial + "\"}");
        assertThat(r.structuredContent().get("destructive").asBoolean()).isTrue();
        assertThat(Fixtures.tool(toolset, "iam_deactivate_mfa_device")
                        .definition()
                        .destructive())
                .isTrue();
        JsonNode maria = Fixtures.call(toolset, "iam_user_access", "{\"user_name\":\"maria\"}")
                .structuredContent();
        assertThat(maria.get("mfa_devices")).isEmpty();
        assertThat(maria.get("findings").toString()).contains("without MFA");
    }
}
