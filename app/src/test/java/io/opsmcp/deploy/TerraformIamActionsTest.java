package io.opsmcp.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code iam-actions.json} of each Terraform module — the action list its IAM policies are built from
 * ({@code jsondecode(file(...))}) — says exactly what {@link IamActions#ofCode()} says, read-only and mutating
 * apart. Stale after a tool starts calling another AWS operation: regenerate with
 * {@code ./mvnw -pl app -am test -Dtest=TerraformIamActionsTest -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true} and review the diff. That the
 * policies use the file exactly so is {@code TerraformModulesIT}'s part (it needs the HCL parser from npm).
 */
class TerraformIamActionsTest {

    static final Path TERRAFORM =
            Path.of("../deploy/terraform").toAbsolutePath().normalize();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final String GENERATED_FROM = "io.opsmcp.tools.aws.client.AwsAction (see toolsets/aws/IAM_ACTIONS.md)."
            + " Regenerate: ./mvnw -pl app -am test -Dtest=TerraformIamActionsTest -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true";

    @ParameterizedTest
    @ValueSource(strings = {"ops-mcp", "managed-account"})
    void theModulesActionFileIsExactlyWhatTheToolsCall(String module) throws IOException {
        Path file = TERRAFORM.resolve(module).resolve("iam-actions.json");
        String expected = render(IamActions.ofCode());
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, expected);
        }
        IamActions inFile = read(file);
        assertThat(IamActions.differences(
                        module + "/iam-actions.json read_only",
                        inFile.readOnly(),
                        IamActions.ofCode().readOnly()))
                .isEmpty();
        assertThat(IamActions.differences(
                        module + "/iam-actions.json mutating",
                        inFile.mutating(),
                        IamActions.ofCode().mutating()))
                .isEmpty();
        assertThat(Files.readString(file))
                .as("regenerate with -Dgolden.update=true")
                .isEqualTo(expected);
    }

    @Test
    void theComparisonFailsOnAMissingAndOnAnExtraAction() {
        Set<String> code = IamActions.ofCode().mutating();
        Set<String> lacking = new TreeSet<>(code);
        lacking.remove("ecs:UpdateService");
        assertThat(IamActions.differences("p", lacking, code))
                .containsExactly(
                        "p lacks ecs:UpdateService, which a tool calls (io.opsmcp.tools.aws.client.AwsAction)");
        Set<String> extra = new TreeSet<>(code);
        extra.add("ecs:DeleteService");
        assertThat(IamActions.differences("p", extra, code))
                .containsExactly("p grants ecs:DeleteService, which no tool calls (least privilege: IAM_ACTIONS.md)");
        assertThat(IamActions.ofCode().readOnly())
                .contains("ecs:DescribeServices")
                .doesNotContain("ecs:UpdateService");
        assertThat(IamActions.ofCode().mutating())
                .contains("ecs:UpdateService", "iam:UpdateAccessKey")
                .doesNotContain("ecs:DescribeServices", "iam:ListAccessKeys");
    }

    static IamActions read(Path file) throws IOException {
        JsonNode node = JSON.readTree(file.toFile());
        return new IamActions(strings(node.path("read_only")), strings(node.path("mutating")));
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(a -> out.add(a.asString()));
        return out;
    }

    /** The file's text: one action per line, so a change shows up in review as one line. */
    static String render(IamActions actions) {
        return "{\n  \"_generated_from\": " + JSON.writeValueAsString(GENERATED_FROM) + ",\n  \"read_only\": "
                + array(actions.readOnly()) + ",\n  \"mutating\": " + array(actions.mutating()) + "\n}\n";
    }

    private static String array(Set<String> values) {
        return values.stream()
                .map(JSON::writeValueAsString)
                .collect(java.util.stream.Collectors.joining(",\n    ", "[\n    ", "\n  ]"));
    }
}
