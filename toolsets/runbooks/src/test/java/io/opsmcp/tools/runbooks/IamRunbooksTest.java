package io.opsmcp.tools.runbooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The IAM runbooks are what a search for their incidents finds first, and they point at the IAM tools. */
class IamRunbooksTest {

    static RunbookToolset toolset;

    @BeforeAll
    static void load() {
        toolset = new RunbookToolset(new RunbookLoader().load(List.<Path>of()));
    }

    @AfterAll
    static void close() {
        toolset.close();
    }

    private static String first(String query) {
        return toolset.search(query, null, 3).get(0).runbook().id();
    }

    @Test
    void aLeakedKeyFindsTheLeakedKeyRunbook() {
        assertThat(first("AWS access key leaked in a public GitHub repository")).isEqualTo("aws-iam-leaked-access-key");
        assertThat(first("exposed credentials AKIA key id found in a build log"))
                .isEqualTo("aws-iam-leaked-access-key");
    }

    @Test
    void aConsoleUserWhoCannotSignInFindsThePasswordRunbook() {
        assertThat(first("IAM user forgot the console password and lost the MFA device"))
                .isEqualTo("aws-iam-password-reset");
    }

    @Test
    void theRunbooksNameTheToolsTheyUse() {
        assertThat(toolset.search("leaked access key", "iam_deactivate_access_key", 5))
                .extracting(h -> h.runbook().id())
                .contains("aws-iam-leaked-access-key");
        assertThat(toolset.search("console password", "iam_reset_console_password", 5))
                .extracting(h -> h.runbook().id())
                .contains("aws-iam-password-reset");
    }
}
