package io.opsmcp.tools.gitlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.tools.gitlab.config.GitLabInstance;
import io.opsmcp.tools.gitlab.config.GitLabSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.dataformat.yaml.YAMLMapper;

class ConfigTest {

    static GitLabSettings parse(String yaml) {
        return GitLabSettings.parse(
                YAMLMapper.builder().build().readTree(yaml), Map.of("GITLAB_TOKEN", "t")::get, Path.of("/home/ops"));
    }

    @Test
    void readsTheReadmeExample() {
        GitLabSettings s = parse("""
                gitlab:
                  max_log_lines: 1000
                  rules_files: [~/gitlab-rules.yaml]
                  instances:
                    - name: main
                      base_url: https://gitlab.example.com/api/v4/
                      token_env: GITLAB_TOKEN
                      projects:
                        - {pattern: "shop/*", environment: prod}
                        - {pattern: "platform/**", environment: staging}
                """);
        GitLabInstance main = s.instances().get(0);
        assertThat(main.baseUrl()).hasToString("https://gitlab.example.com");
        assertThat(main.token().read()).isEqualTo("t");
        assertThat(s.defaultLogLines()).isEqualTo(300);
        assertThat(s.rulesFiles()).containsExactly(Path.of("/home/ops/gitlab-rules.yaml"));
        assertThat(main.environmentOf("shop/checkout")).contains("prod");
        assertThat(main.environmentOf("Shop/Checkout")).contains("prod");
        assertThat(main.environmentOf("shop/team/checkout")).isEmpty();
        assertThat(main.environmentOf("platform/infra/dns")).contains("staging");
        assertThat(main.environmentOf("other/x")).isEmpty();
    }

    @Test
    void rejectsALiteralToken() {
        assertThatThrownBy(() -> parse("""
                gitlab:
                  instances:
                    - {name: main, base_url: "https://g.example", token: glpat-0123456789abcdefghij,
                       projects: [{pattern: "a/*", environment: dev}]}
                """))
                .hasMessageStartingWith("gitlab.instances[0].token: a token must not be written in the configuration")
                .hasMessageNotContaining("glpat-0123456789");
    }

    @Test
    void rejectsATokenInTokenEnv() {
        assertThatThrownBy(() -> parse("""
                gitlab:
                  instances:
                    - {name: main, base_url: "https://g.example", token_env: glpat-0123456789abcdefghij,
                       projects: [{pattern: "a/*", environment: dev}]}
                """))
                .hasMessageStartingWith("gitlab.instances[0].token_env: must name an environment variable")
                .hasMessageNotContaining("glpat-0123456789");
    }

    @Test
    void namesTheBadSetting() {
        assertThatThrownBy(() -> parse("gitlab: {instances: [{name: main, base_url: 'ftp://x', token_env: T,"
                        + " projects: [{pattern: 'a/*', environment: dev}]}]}"))
                .hasMessageStartingWith("gitlab.instances[0].base_url: must be an http(s) URL");
        assertThatThrownBy(() -> parse(
                        "gitlab: {instances: [{name: main, base_url: 'https://x', token_env: T," + " projects: []}]}"))
                .hasMessageStartingWith("gitlab.instances[0].projects: must be a non-empty list");
        assertThatThrownBy(() -> parse("gitlab: {max_log_line: 3, instances: []}"))
                .hasMessageStartingWith("gitlab.max_log_line: unknown setting");
        assertThatThrownBy(() -> parse("toolsets: [gitlab]"))
                .hasMessageStartingWith("gitlab: the gitlab toolset is enabled");
    }

    @Test
    void aMisspeltKeyIsNamedWithTheValidOnes() {
        assertThatThrownBy(() -> parse("gitlab: {instances: [{name: main, base_url: 'https://x', token_env: T,"
                        + " projets: [{pattern: 'a/*', environment: dev}]}]}"))
                .hasMessage("gitlab.instances[0].projets: unknown setting; valid: base_url, name, projects, token_env,"
                        + " token_file");
        assertThatThrownBy(() -> parse("gitlab: {instances: [{name: main, base_url: 'https://x', token_env: T,"
                        + " projects: [{pattern: 'a/*', enviroment: dev}]}]}"))
                .hasMessageStartingWith("gitlab.instances[0].projects[0].enviroment: unknown setting; valid: "
                        + "environment, pattern");
    }

    @Test
    void aWrongTypeNamesThePathAndTheExpectedType() {
        assertThatThrownBy(() -> parse("gitlab: {max_log_lines: many, instances: [{name: main, base_url: 'https://x',"
                        + " token_env: T, projects: [{pattern: 'a/*', environment: dev}]}]}"))
                .hasMessageStartingWith("gitlab.max_log_lines: must be a whole number");
        assertThatThrownBy(() -> parse("gitlab: {instances: {name: main}}"))
                .hasMessageStartingWith("gitlab.instances: must be a list");
        assertThatThrownBy(() -> parse("gitlab: {max_retries: 11, instances: [{name: main, base_url: 'https://x',"
                        + " token_env: T, projects: [{pattern: 'a/*', environment: dev}]}]}"))
                .hasMessageStartingWith("gitlab.max_retries: must be an integer 0..10");
    }
}
