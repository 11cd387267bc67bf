package io.opsmcp.tools.runbooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Search quality of the shipped library: 21 queries written the way an engineer or a model would ask (error text,
 * symptoms, requests), each with the runbook that should come first. Prints the hit rate at rank 1 and requires at
 * least 19 of 21.
 */
class RunbookSearchQualityTest {

    record Case(String query, String expected) {}

    static final List<Case> CASES = List.of(
            new Case("container killed exit code 137", "ecs-out-of-memory"),
            new Case("ModuleNotFoundError in CI", "ci-missing-python-package"),
            new Case("CannotPullContainerError when starting an ECS task", "ecs-image-pull-failure"),
            new Case("ALB target group shows targets unhealthy and users get 502", "ecs-unhealthy-targets"),
            new Case(
                    "service was unable to place a task because no container instance met all of its requirements",
                    "ecs-placement-failure"),
            new Case("Error: Cannot find module 'express' in the pipeline", "ci-missing-npm-package"),
            new Case("npm ERESOLVE unable to resolve dependency tree", "ci-dependency-conflict"),
            new Case(
                    "job fails with KeyError because a CI variable is not set on a feature branch",
                    "ci-missing-env-var"),
            new Case("This GitLab CI configuration is invalid", "ci-invalid-config-value"),
            new Case("job execution took longer than 1h0m0s", "ci-test-timeout"),
            new Case("test fails sometimes and passes when I retry", "ci-flaky-test"),
            new Case(
                    "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
                    "ci-job-out-of-memory"),
            new Case("Could not resolve dependencies, could not find artifact in nexus", "ci-maven-gradle-resolution"),
            new Case("javac error: cannot find symbol", "ci-compilation-error"),
            new Case("failed to pull image manifest unknown in GitLab job", "ci-docker-image-pull"),
            new Case("No space left on device on the web server, /var/log is huge", "host-disk-full"),
            new Case("our https site says the certificate has expired", "certificate-expiry"),
            new Case("reset the AWS console password of an IAM user", "aws-iam-password-reset"),
            new Case("user account locked after too many failed logins", "account-locked-out"),
            new Case("an employee left today, disable his linux login on the servers", "host-account-offboarding"),
            new Case("EFS mount permission denied on the shared drive", "shared-drive-access"));

    static RunbookToolset toolset;

    @BeforeAll
    static void load() {
        toolset = new RunbookToolset(new RunbookLoader().load(List.<Path>of()));
    }

    @AfterAll
    static void close() {
        toolset.close();
    }

    @Test
    void theRightRunbookComesFirst() {
        assertThat(CASES).hasSize(21);
        int hits = 0;
        List<String> misses = new ArrayList<>();
        for (Case c : CASES) {
            List<RunbookIndex.Hit> results = toolset.search(c.query(), null, 3);
            String first =
                    results.isEmpty() ? "(none)" : results.get(0).runbook().id();
            if (first.equals(c.expected())) {
                hits++;
            } else {
                misses.add("'" + c.query() + "': expected " + c.expected() + ", got "
                        + results.stream().map(h -> h.runbook().id()).toList());
            }
        }
        System.out.printf("runbook_search hit rate at rank 1: %d/%d%n", hits, CASES.size());
        misses.forEach(m -> System.out.println("  miss " + m));
        assertThat(hits).as("misses: %s", misses).isGreaterThanOrEqualTo(19);
    }
}
