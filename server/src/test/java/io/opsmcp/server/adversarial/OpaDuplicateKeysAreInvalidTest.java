package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.guard.policy.Decision;
import io.opsmcp.guard.policy.OpaPolicyEngine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 10 item 6: a decision from OPA that names a member twice (at the top, in {@code result}, in
 * {@code approval}, in a nested value) is an invalid decision and denies. With last-wins parsing, a proxy or a
 * confused policy that appends {@code "allow": true} after {@code "allow": false} would turn a deny into an allow,
 * or drop an approval requirement. The same documents without the repetition are honoured.
 */
class OpaDuplicateKeysAreInvalidTest {

    private static Decision answer(String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (SlowOpa opa = new SlowOpa(out -> {
                    out.write(SlowOpa.headers(bytes.length));
                    out.write(bytes);
                    out.flush();
                });
                OpaPolicyEngine engine = new OpaPolicyEngine(opa.url(), Duration.ofSeconds(10))) {
            return engine.decide(JsonMapper.builder().build().createObjectNode().put("action", "tool.call"));
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"result\": {\"allow\": false, \"reasons\": [\"no\"], \"allow\": true}}",
                "{\"result\": {\"allow\": false, \"reasons\": [\"no\"]}, \"result\": {\"allow\": true, \"reasons\": []}}",
                "{\"result\": {\"allow\": true, \"reasons\": [\"prod\"], \"approval\": {\"required\": true, \"min_approvals\": 1,"
                        + " \"approver_roles\": [\"sre-lead\"], \"allow_self_approval\": false, \"ttl_seconds\": 900,"
                        + " \"required\": false}}}",
                "{\"result\": {\"allow\": true, \"reasons\": [\"prod\"], \"approval\": {\"required\": true, \"min_approvals\": 2,"
                        + " \"min_approvals\": 1, \"approver_roles\": [\"sre-lead\"], \"allow_self_approval\": false,"
                        + " \"ttl_seconds\": 900}}}",
                "{\"result\": {\"allow\": true, \"reasons\": [\"ok\"], \"extra\": {\"a\": 1, \"a\": 2}}}",
                "{\"decision_id\": \"d1\", \"decision_id\": \"d2\", \"result\": {\"allow\": true, \"reasons\": [\"ok\"]}}",
            })
    void aRepeatedMemberIsAnInvalidDecision(String body) throws Exception {
        assertThat(answer(body)).isEqualTo(Decision.deny(Decision.INVALID));
    }

    @Test
    void theSameDocumentsWithoutRepetitionAreHonoured() throws Exception {
        assertThat(answer("{\"result\": {\"allow\": true, \"reasons\": [\"ok\"], \"extra\": {\"a\": 1, \"b\": 2}}}"))
                .isEqualTo(new Decision.Allow(List.of("ok")));
        assertThat(answer("{\"result\": {\"allow\": false, \"reasons\": [\"no\"]}}"))
                .isEqualTo(new Decision.Deny(List.of("no")));
    }
}
