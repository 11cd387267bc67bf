package io.opsmcp.rego.compliance;

/** Result of running one case: status plus, for failures, what was expected and what happened. */
public record CaseOutcome(ComplianceCase c, Status status, String expected, String got) {
  /** Pass, fail or skipped (the case is marked {@code skip}). */
  public enum Status { PASS, FAIL, SKIP }
}
