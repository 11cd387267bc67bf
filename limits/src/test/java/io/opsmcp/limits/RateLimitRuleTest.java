package io.opsmcp.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.config.InvalidConfigException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.dataformat.yaml.YAMLMapper;

class RateLimitRuleTest {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private static List<RateLimitRule> parse(String yaml) {
        return RateLimitRule.fromConfig(YAML.readTree(yaml));
    }

    @Test
    void readsARuleAsWritten() {
        RateLimitRule rule = parse("""
                        rate_limits:
                          - tools: ecs_*
                            roles: [deployer]
                            calls: 30
                            per: 1m
                            concurrent: 2
                        """).get(0);
        assertThat(rule.name()).isEqualTo("rate_limits[0]");
        assertThat(rule.tools()).containsExactly("ecs_*");
        assertThat(rule.roles()).containsExactly("deployer");
        assertThat(rule.calls()).isEqualTo(30);
        assertThat(rule.per()).isEqualTo(Duration.ofMinutes(1));
        assertThat(rule.concurrent()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            rate_limits: {tools: x}                                         | rate_limits: must be a list of rules
            rate_limits: [{calls: 1, per: 1m}]                              | rate_limits[0].tools: required
            rate_limits: [{tools: [ECS_*], concurrent: 1}]                  | rate_limits[0].tools[0]: 'ECS_*' is not a tool name pattern
            rate_limits: [{tools: [a], concurrent: 1}, {tools: a, calls: 3, per: soon}] | rate_limits[1].per: must be a duration like 90s
            rate_limits: [{tools: a, calls: 3}]                             | rate_limits[0].per: required with calls
            rate_limits: [{tools: a, per: 1m}]                              | rate_limits[0].calls: required with per
            rate_limits: [{tools: a, calls: 0, per: 1m}]                    | rate_limits[0].calls: must be 1..1000000 (got 0)
            rate_limits: [{tools: a, calls: 5, per: 2d}]                    | rate_limits[0].per: must be from 1s to 1d (got 2d)
            rate_limits: [{tools: a, concurrent: 0}]                        | rate_limits[0].concurrent: must be 1..10000 (got 0)
            rate_limits: [{tools: a}]                                       | rate_limits[0]: sets no limit
            rate_limits: [{tools: a, concurent: 2}]                         | rate_limits[0].concurent: unknown setting; valid: calls, concurrent, per, principals, roles, tools
            rate_limits: [{tools: a, concurrent: 2, roles: ['']}]           | rate_limits[0].roles[0]: must be a non-blank name
            rate_limits: [{tools: a, concurrent: many}]                     | rate_limits[0].concurrent: must be
            """)
    void aBadRuleIsAnErrorNamingTheRuleAndTheField(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith(message);
    }
}
