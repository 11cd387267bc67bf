package io.opsmcp.server.gateway;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/**
 * One tool call as written to the audit log. Arguments and the error message are already redacted.
 *
 * @param time       when the call arrived (UTC)
 * @param requestId  JSON-RPC request id or a generated one
 * @param principal  caller id
 * @param auth       how the caller was identified ({@code local}, {@code api-key}, …)
 * @param tool       tool name
 * @param toolset    toolset name
 * @param args       redacted arguments
 * @param resource   the resource the call touched ({@code provider/kind/name}), or {@code null} when the call
 *                   stopped before {@code describe}
 * @param outcome    {@code ok}, {@code tool_error}, {@code invalid_arguments}, {@code timeout},
 *                   {@code internal_error}, {@code unknown_tool}
 * @param durationMs wall time of the call in milliseconds
 * @param error      redacted error text, or {@code null}
 */
public record AuditRecord(Instant time, String requestId, String principal, String auth, String tool,
                          String toolset, JsonNode args, String resource, String outcome, long durationMs,
                          String error) {
}
