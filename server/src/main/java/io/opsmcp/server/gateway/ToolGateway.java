package io.opsmcp.server.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.opsmcp.core.redact.Redactor;
import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one path every tool call takes, whatever the transport: look up the tool, validate the arguments
 * against its JSON Schema, {@code describe} the action, {@code execute} it under a deadline, redact and cap
 * the result, and append an audit record. Nothing runs when validation fails.
 *
 * <p>Only read-only tools are registered: mutating tools wait for the policy guard, which is the only thing
 * allowed to let them run.
 */
public final class ToolGateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ToolGateway.class);

    /** A tool and the toolset that contributed it. */
    public record RegisteredTool(String toolset, OpsTool tool) {
        public ToolDefinition definition() {
            return tool.definition();
        }
    }

    /**
     * One incoming call.
     *
     * @param tool      tool name
     * @param args      arguments as sent ({@code null} means {@code {}})
     * @param principal the caller
     * @param requestId request id for correlation
     * @param progress  progress sink
     * @param log       client log sink
     */
    public record Call(String tool, JsonNode args, Principal principal, String requestId,
                       ToolContext.Progress progress, ToolContext.Log log) {
    }

    private final Map<String, RegisteredTool> tools;
    private final List<ToolDefinition> withheld;
    private final ArgumentValidator validator;
    private final ResultLimiter limiter;
    private final AuditLog audit;
    private final Redactor redactor;
    private final Duration timeout;
    private final Clock clock;
    private final ExecutorService executor;
    private final List<OpsToolset> toolsets;

    /**
     * @throws IllegalArgumentException when two toolsets contribute the same tool name or a schema is invalid
     */
    public ToolGateway(List<OpsToolset> toolsets, ArgumentValidator validator, ResultLimiter limiter,
                       AuditLog audit, Redactor redactor, Duration timeout, Clock clock) {
        this.validator = validator;
        this.limiter = limiter;
        this.audit = audit;
        this.redactor = redactor;
        this.timeout = timeout;
        this.clock = clock;
        this.toolsets = List.copyOf(toolsets);
        Map<String, RegisteredTool> byName = new LinkedHashMap<>();
        List<ToolDefinition> notRegistered = new ArrayList<>();
        for (OpsToolset toolset : toolsets) {
            for (OpsTool tool : toolset.tools()) {
                ToolDefinition def = tool.definition();
                if (!def.readOnly()) {
                    notRegistered.add(def);
                    continue;
                }
                RegisteredTool previous = byName.putIfAbsent(def.name(), new RegisteredTool(toolset.name(), tool));
                if (previous != null) {
                    throw new IllegalArgumentException("tool " + def.name() + " is contributed by both toolset "
                            + previous.toolset() + " and toolset " + toolset.name());
                }
                validator.register(def.name(), def.inputSchema());
            }
        }
        this.tools = Collections.unmodifiableMap(byName);
        this.withheld = List.copyOf(notRegistered);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "tool-call-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = Executors.newCachedThreadPool(threads);
    }

    /** The registered (read-only) tools, in toolset order. */
    public List<RegisteredTool> tools() {
        return List.copyOf(tools.values());
    }

    /** Tools that exist but are not offered because they change things and no policy guard is configured. */
    public List<ToolDefinition> withheld() {
        return withheld;
    }

    /** Runs one call to completion. Never throws: every failure becomes an error result. */
    public ToolResult call(Call call) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        JsonNode args = call.args() == null || call.args().isNull() ? JsonNodeFactory.instance.objectNode() : call.args();
        JsonNode redactedArgs = redactor.redact(args);
        RegisteredTool registered = tools.get(call.tool());
        Outcome outcome;
        if (registered == null) {
            outcome = new Outcome("unknown_tool", null,
                    ToolResult.error("Unknown tool '" + call.tool() + "'. Use tools/list to see the available tools."));
        } else {
            outcome = run(registered, args, call, started);
        }
        ToolResult result = outcome.result;
        String text = limiter.limit(redactor.redact(result.text()));
        JsonNode structured = limiter.limit(redactor.redact(result.structuredContent()));
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        audit.append(new AuditRecord(started, call.requestId(), call.principal().id(), call.principal().auth(),
                call.tool(), registered == null ? null : registered.toolset(), redactedArgs, outcome.resource,
                outcome.name, durationMs, result.error() ? text : null));
        return new ToolResult(text, structured, result.error());
    }

    private record Outcome(String name, String resource, ToolResult result) {
    }

    private Outcome run(RegisteredTool registered, JsonNode args, Call call, Instant started) {
        String name = registered.definition().name();
        if (!args.isObject()) {
            return new Outcome("invalid_arguments", null,
                    ToolResult.error("Invalid arguments for " + name + ": arguments must be a JSON object"));
        }
        List<String> violations = validator.validate(name, args);
        if (!violations.isEmpty()) {
            return new Outcome("invalid_arguments", null, ToolResult.error(
                    "Invalid arguments for " + name + ":\n- " + String.join("\n- ", violations)));
        }
        ObjectNode objectArgs = (ObjectNode) args;
        ToolContext ctx = new ToolContext(call.principal(), call.requestId(), started.plus(timeout),
                call.progress(), call.log());
        String[] resource = new String[1];
        Future<ToolResult> future = executor.submit(() -> {
            ActionDescriptor action = registered.tool().describe(objectArgs, ctx);
            resource[0] = action.provider() + "/" + action.kind() + "/" + action.name();
            return registered.tool().execute(objectArgs, ctx);
        });
        try {
            ToolResult result = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Outcome(result.error() ? "tool_error" : "ok", resource[0], result);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Outcome("timeout", resource[0], ToolResult.error(name + " did not finish within "
                    + timeout.toSeconds() + " s and was stopped (limits.tool_timeout_seconds)."));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new Outcome("cancelled", resource[0], ToolResult.error(name + " was cancelled."));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ToolException te) {
                String outcome = te.kind() == ToolException.Kind.INVALID_ARGUMENT ? "invalid_arguments"
                        : te.kind() == ToolException.Kind.TIMEOUT ? "timeout" : "tool_error";
                return new Outcome(outcome, resource[0], ToolResult.error(label(te.kind()) + te.getMessage()));
            }
            // The stack trace goes to debug only: exception messages from libraries may carry secrets.
            log.error("tool {} failed (request {}): {}", name, call.requestId(), redactor.redact(String.valueOf(cause)));
            log.debug("tool {} failure detail", name, cause);
            return new Outcome("internal_error", resource[0], ToolResult.error(name + " failed with an internal error"
                    + " (request " + call.requestId() + "); the server log has the details."));
        }
    }

    private static String label(ToolException.Kind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT -> "Invalid argument: ";
            case NOT_FOUND -> "Not found: ";
            case FORBIDDEN -> "Not allowed: ";
            case UNAVAILABLE -> "Unavailable: ";
            case TIMEOUT -> "Timed out: ";
            case INTERNAL -> "Internal error: ";
        };
    }

    /** Stops running calls and closes the toolsets (their SSH connections and the like). */
    @Override
    public void close() {
        executor.shutdownNow();
        for (OpsToolset toolset : toolsets) {
            try {
                toolset.close();
            } catch (RuntimeException e) {
                log.warn("closing toolset {} failed: {}", toolset.name(), redactor.redact(String.valueOf(e.getMessage())));
            }
        }
    }
}
