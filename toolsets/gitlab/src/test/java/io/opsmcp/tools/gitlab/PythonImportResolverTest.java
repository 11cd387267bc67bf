package io.opsmcp.tools.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.tools.gitlab.fixes.FixException;
import io.opsmcp.tools.gitlab.fixes.NpmDependencyFix;
import io.opsmcp.tools.gitlab.fixes.PythonImportResolver;
import io.opsmcp.tools.gitlab.fixes.PythonImportResolver.Resolution;
import io.opsmcp.tools.gitlab.fixes.RepoFiles;
import io.opsmcp.tools.gitlab.fixes.RepoTree;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Which distribution a failed import calls for: only with evidence; never the repository's or the stdlib's. */
class PythonImportResolverTest {

    static final RepoTree TREE = () -> List.of(
            "src/acme",
            "src/acme/__init__.py",
            "scripts/train_network.py",
            "tests",
            "tests/conftest.py",
            "docker",
            "docker/Dockerfile");

    static Resolution resolve(String module, Map<String, String> files) {
        RepoFiles f = p -> Optional.ofNullable(files.get(p));
        return PythonImportResolver.resolve(module, f, TREE);
    }

    @Test
    void modulesOfTheRepositoryAndTheStandardLibraryAreNeverProposed() {
        assertThat(resolve("train_network", Map.of()).distribution()).isNull();
        assertThat(resolve("train_network", Map.of()).why()).contains("scripts/train_network.py");
        assertThat(resolve("acme", Map.of()).why()).contains("src/acme/");
        assertThat(resolve("tests", Map.of()).distribution()).isNull();
        assertThat(resolve("conftest", Map.of()).distribution()).isNull();
        for (String stdlib : List.of("tomllib", "asyncio", "sqlite3", "distutils", "json")) {
            assertThat(resolve(stdlib, Map.of("requirements.txt", stdlib + "==1.0\n"))
                            .distribution())
                    .as(stdlib)
                    .isNull();
        }
    }

    @Test
    void python2NamesAndRenamedLastNamesAreReportedNotProposed() {
        assertThat(resolve("urllib2", Map.of()).why()).contains("urllib.request");
        assertThat(resolve("ConfigParser", Map.of()).distribution()).isNull();
        assertThat(resolve("parse", Map.of()).why()).contains("urllib.parse");
        // but a lock file naming a distribution 'parse' is evidence for it
        assertThat(resolve("parse", Map.of("requirements.lock", "parse==1.20.2\n"))
                        .distribution())
                .isEqualTo("parse");
    }

    @Test
    void aDistributionIsProposedOnlyWithEvidenceOfItsName() {
        assertThat(resolve("yaml", Map.of()).distribution()).isEqualTo("PyYAML");
        assertThat(resolve("cv2", Map.of()).distribution()).isEqualTo("opencv-python");
        assertThat(resolve("sklearn", Map.of()).distribution()).isEqualTo("scikit-learn");
        // the lock's spelling wins over the map's, and an unmapped import needs the lock
        assertThat(resolve("yaml", Map.of("poetry.lock", "[[package]]\nname = \"pyyaml\"\nversion = \"6.0.1\"\n"))
                        .distribution())
                .isEqualTo("pyyaml");
        assertThat(resolve("acme_widgets", Map.of()).distribution()).isNull();
        assertThat(resolve("acme_widgets", Map.of("constraints.txt", "acme-widgets==1.4.2\n"))
                        .distribution())
                .isEqualTo("acme-widgets");
        // a directory of the same name without Python files is not the module
        assertThat(resolve("docker", Map.of()).distribution()).isEqualTo("docker");
        assertThat(resolve("../../etc/passwd", Map.of()).distribution()).isNull();
    }

    @Test
    void npmBuiltinsAndTheRepositorysOwnPackageAreNeverAdded() {
        Map<String, String> files = Map.of(
                "package.json",
                "{\"name\": \"shop-web\", \"dependencies\": {}}\n",
                "package-lock.json",
                "{\"packages\": {\"node_modules/crypto\": {\"version\": \"1.0.1\"}}}");
        RepoFiles f = p -> Optional.ofNullable(files.get(p));
        JsonMapper json = JsonMapper.builder().build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NpmDependencyFix.plan(f, "crypto", json))
                .isInstanceOf(FixException.class)
                .hasMessageContaining("built-in");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NpmDependencyFix.plan(f, "shop-web", json))
                .isInstanceOf(FixException.class)
                .hasMessageContaining("own package");
    }
}
