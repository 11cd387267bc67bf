package io.opsmcp.rego.compliance;

/**
 * Result of running one case: status plus, for failures, what was expected and what happened
 * ({@code got}); for a skipped case {@code got} is the reason.
 */
public record CaseOutcome(ComplianceCase c, Status status, String expected, String got) {
    /** Pass, fail or skipped (the case is marked {@code skip} or needs a built-in refused by design). */
    public enum Status {
        PASS,
        FAIL,
        SKIP
    }
}
