package io.opsmcp.tools.runbooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code runbooks:} bound to a record: paths, and errors naming the key and the rule. */
class RunbookSettingsTest {

    private static final Path HOME = Path.of("/home/ops");

    private static JsonNode json(String text) {
        return JsonMapper.builder().build().readTree(text);
    }

    @Test
    void directoriesExpandHome() {
        assertThat(RunbookToolsetProvider.directories(json("{}"), HOME)).isEmpty();
        assertThat(RunbookToolsetProvider.directories(
                        json("{\"runbooks\": {\"directories\": [\"~/rb\", \"/etc/rb\"]}}"), HOME))
                .containsExactly(HOME.resolve("rb"), Path.of("/etc/rb"));
    }

    @Test
    void aMisspeltKeyIsNamedWithTheValidOnes() {
        assertThatThrownBy(() ->
                        RunbookToolsetProvider.directories(json("{\"runbooks\": {\"directory\": [\"/x\"]}}"), HOME))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("runbooks.directory: unknown setting; valid: directories, reload_interval");
    }

    @Test
    void aWrongTypeNamesThePath() {
        assertThatThrownBy(() -> RunbookToolsetProvider.directories(json("{\"runbooks\": {\"directories\": 5}}"), HOME))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("runbooks.directories: must be");
        assertThatThrownBy(() ->
                        RunbookToolsetProvider.directories(json("{\"runbooks\": {\"directories\": [\" \"]}}"), HOME))
                .hasMessage("runbooks.directories[0]: must be a path");
        assertThatThrownBy(() -> RunbookToolsetProvider.directories(json("{\"runbooks\": [\"/x\"]}"), HOME))
                .hasMessage("runbooks: must be a mapping");
    }

    @Test
    void reloadIntervalUsesTheDurationGrammar() {
        assertThat(RunbookToolsetProvider.reloadInterval(json("{}"))).hasSeconds(2);
        assertThat(RunbookToolsetProvider.reloadInterval(json("{\"runbooks\": {\"reload_interval\": \"30s\"}}")))
                .hasSeconds(30);
        assertThat(RunbookToolsetProvider.reloadInterval(json("{\"runbooks\": {\"reload_interval\": \"0s\"}}")))
                .isZero();
        assertThatThrownBy(() ->
                        RunbookToolsetProvider.reloadInterval(json("{\"runbooks\": {\"reload_interval\": \"fast\"}}")))
                .hasMessageStartingWith("runbooks.reload_interval: must be a duration like");
        assertThatThrownBy(() ->
                        RunbookToolsetProvider.reloadInterval(json("{\"runbooks\": {\"reload_interval\": \"2h\"}}")))
                .hasMessage("runbooks.reload_interval: must be 0s (never) up to 1h, not 2h");
    }
}
