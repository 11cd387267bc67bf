package io.opsmcp.tools.gitlab;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.gitlab.config.GitLabSettings;
import io.opsmcp.tools.gitlab.sandbox.RunnerTrace;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, harmful fixes, from the attacker's side: a failing import that names a module of the repository, of the
 * standard library, a Python 2 rename or an unknown name must not make gitlab_propose_fix add a PyPI package (a
 * typosquat-shaped risk); only evidence of the distribution's name (lock file, known import name) does. Through the
 * real toolset against a WireMock GitLab; "nothing sent" is checked on the wire.
 */
class ProposeFixEvidenceTest {

    static final String P = "/api/v4/projects/shop%2Fcheckout";
    WireMockServer gitlab;
    OpsToolset toolset;

    @BeforeEach
    void start(@TempDir Path dir) {
        gitlab = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        gitlab.start();
        String yaml = "gitlab: {instances: [{name: main, base_url: 'http://127.0.0.1:" + gitlab.port() + "',"
                + " token_env: T, projects: [{pattern: 'shop/*', environment: prod}]}]}";
        GitLabSettings settings = GitLabSettings.parse(
                tools.jackson.dataformat.yaml.YAMLMapper.builder().build().readTree(yaml), n -> "tok", dir);
        toolset = GitLabToolsetProvider.create(settings, Clock.systemUTC(), d -> {});
        gitlab.stubFor(get(urlPathEqualTo(P))
                .willReturn(okJson(
                        "{\"id\":42,\"path_with_namespace\":\"shop/checkout\"," + "\"default_branch\":\"main\"}")));
        gitlab.stubFor(get(urlPathEqualTo(P + "/pipelines/900"))
                .willReturn(okJson(
                        "{\"id\":900,\"status\":\"failed\",\"ref\":\"feature/x\",\"sha\":\"abc\",\"tag\":false}")));
        gitlab.stubFor(get(urlPathEqualTo(P + "/pipelines/900/jobs"))
                .willReturn(okJson(
                        "[{\"id\":77,\"name\":\"unit\",\"stage\":\"test\",\"status\":\"failed\",\"retried\":false}]")));
        gitlab.stubFor(get(urlPathEqualTo(P + "/pipelines")).willReturn(okJson("[]")));
        gitlab.stubFor(get(urlPathEqualTo(P + "/protected_branches")).willReturn(okJson("[{\"name\":\"main\"}]")));
        gitlab.stubFor(get(urlPathMatching(P + "/repository/branches/.*"))
                .willReturn(aResponse().withStatus(404)));
        gitlab.stubFor(get(urlPathEqualTo(P + "/repository/files/requirements.txt"))
                .willReturn(okJson("{\"encoding\":\"base64\",\"content\":\"Zmxhc2s9PTMuMC4zCg==\"}")));
        gitlab.stubFor(get(urlPathMatching(P + "/repository/files/.*"))
                .atPriority(6)
                .willReturn(aResponse().withStatus(404)));
        gitlab.stubFor(get(urlPathEqualTo(P + "/repository/tree")).willReturn(okJson("""
                [{"path":"train_network","type":"tree"},{"path":"train_network/__init__.py","type":"blob"},
                 {"path":"docker","type":"tree"},{"path":"docker/Dockerfile","type":"blob"},
                 {"path":"requirements.txt","type":"blob"}]""")));
    }

    @AfterEach
    void stop() {
        gitlab.stop();
    }

    private void failsWith(String line) {
        gitlab.stubFor(get(urlPathEqualTo(P + "/jobs/77/trace"))
                .willReturn(aResponse().withBody(RunnerTrace.of("python:3.12", List.of("$ pytest", line), 2))));
    }

    private String refusal() {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> Calls.call(
                toolset, "gitlab_propose_fix", "{\"project\":\"shop/checkout\",\"pipeline_id\":900,\"dry_run\":true}"));
        assertThat(t).isInstanceOf(ToolException.class);
        gitlab.verify(0, postRequestedFor(anyUrl()));
        return t.getMessage();
    }

    @Test
    void aModuleOfTheRepositoryIsNeverAddedAsAPackage() {
        failsWith("E   ModuleNotFoundError: No module named 'train_network'");
        assertThat(refusal()).contains("'train_network' is a module of the repository itself (train_network/)");
    }

    @Test
    void aStandardLibraryModuleIsNeverAddedAsAPackage() {
        failsWith("E   ModuleNotFoundError: No module named 'tomllib'");
        assertThat(refusal()).contains("part of the Python standard library");
    }

    @Test
    void python2ReportingTheLastNameOfUrllibParseIsNotAPackage() {
        failsWith("ImportError: No module named parse");
        assertThat(refusal()).contains("Python 2", "urllib.parse");
    }

    @Test
    void anUnknownNameWithoutLockEvidenceProposesNothing() {
        failsWith("E   ModuleNotFoundError: No module named 'reqeusts_toolbelt2'");
        assertThat(refusal()).contains("no requirements or lock file", "names a distribution");
    }

    @Test
    void aDirectoryWithoutPythonFilesDoesNotHideARealPackage() {
        // docker/ holds Dockerfiles: 'docker' is still the Docker SDK, which the shipped map knows
        failsWith("E   ModuleNotFoundError: No module named 'docker'");
        ToolResult r = Calls.call(
                toolset, "gitlab_propose_fix", "{\"project\":\"shop/checkout\",\"pipeline_id\":900,\"dry_run\":true}");
        assertThat(r.text()).contains("+docker");
        gitlab.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void aLockFileNamesTheDistributionOfAnUnmappedImport() {
        gitlab.stubFor(get(urlPathEqualTo(P + "/repository/files/poetry.lock"))
                .willReturn(okJson("{\"encoding\":\"base64\",\"content\":\""
                        + java.util.Base64.getEncoder()
                                .encodeToString(
                                        "[[package]]\nname = \"acme-widgets\"\nversion = \"1.4.2\"\n".getBytes())
                        + "\"}")));
        failsWith("E   ModuleNotFoundError: No module named 'acme_widgets'");
        ToolResult r = Calls.call(
                toolset, "gitlab_propose_fix", "{\"project\":\"shop/checkout\",\"pipeline_id\":900,\"dry_run\":true}");
        assertThat(r.text()).contains("+acme-widgets==1.4.2");
    }

    @Test
    void aTreeTooLargeToSearchIsRefusedRatherThanGuessed() {
        StringBuilder big = new StringBuilder("[");
        for (int i = 0; i < 100; i++) {
            big.append(i == 0 ? "" : ",").append("{\"path\":\"f").append(i).append(".txt\",\"type\":\"blob\"}");
        }
        gitlab.stubFor(get(urlPathEqualTo(P + "/repository/tree"))
                .willReturn(okJson(big.append("]").toString()).withHeader("X-Next-Page", "2")));
        failsWith("E   ModuleNotFoundError: No module named 'yaml'");
        assertThatThrownBy(() -> Calls.call(
                        toolset,
                        "gitlab_propose_fix",
                        "{\"project\":\"shop/checkout\",\"pipeline_id\":900,\"dry_run\":true}"))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("cannot be ruled out");
        gitlab.verify(0, postRequestedFor(anyUrl()));
    }
}
