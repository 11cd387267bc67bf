package io.opsmcp.toolkit.testing;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.ToolSpec;
import io.opsmcp.toolkit.schema.ArgumentValidator;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls a toolset's tools the way the gateway does, without a server: the arguments are validated against the
 * tool's published input schema by the same {@link ArgumentValidator} the gateway uses, then
 * {@link OpsTool#describe} runs, then {@link OpsTool#execute} with a context whose {@code dryRun} is read from
 * {@code dry_run} as the gateway reads it; every result is checked against the tool's output schema
 * ({@link ToolDefinitionChecks#resultProblems}). There is no policy: tests of the guard belong to the guard.
 */
public final class ToolHarness {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, OpsTool> tools = new LinkedHashMap<>();
    private final ArgumentValidator validator = new ArgumentValidator();
    private final Principal principal;
    private final Duration timeout;

    /** A harness calling as principal {@code test} with role {@code sre}, 60 s per call. */
    public ToolHarness(OpsToolset toolset) {
        this(toolset.tools(), new Principal("test", Set.of("sre"), "local"), Duration.ofSeconds(60));
    }

    /**
     * @throws IllegalArgumentException when a tool's input schema does not compile or two tools share a name
     */
    public ToolHarness(List<OpsTool> tools, Principal principal, Duration timeout) {
        for (OpsTool tool : tools) {
            String name = tool.definition().name();
            if (this.tools.putIfAbsent(name, tool) != null) {
                throw new IllegalArgumentException("two tools named " + name);
            }
            validator.register(name, tool.definition().inputSchema());
        }
        this.principal = principal;
        this.timeout = timeout;
    }

    /** Parses a JSON object literal, for arguments written inline in tests. */
    public static ObjectNode args(String json) {
        return (ObjectNode) JSON.readTree(json);
    }

    /** The violations the gateway would report for these arguments (empty when valid). */
    public List<String> validate(String tool, ObjectNode args) {
        return validator.validate(require(tool).definition().name(), args);
    }

    /**
     * Validates and describes a call.
     *
     * @throws ToolException {@code INVALID_ARGUMENT} listing every violation when the arguments are invalid, or what
     *                       the tool throws
     */
    public ActionDescriptor describe(String tool, ObjectNode args) {
        OpsTool t = validated(tool, args);
        return t.describe(args, context(t, args));
    }

    /** {@link #describe(String, ObjectNode)} with the arguments as a JSON literal. */
    public ActionDescriptor describe(String tool, String json) {
        return describe(tool, args(json));
    }

    /**
     * Validates, describes, then executes a call, as the gateway would after the guard allowed it.
     *
     * @throws ToolException {@code INVALID_ARGUMENT} listing every violation when the arguments are invalid, or what
     *                       the tool throws
     */
    public ToolResult call(String tool, ObjectNode args) {
        OpsTool t = validated(tool, args);
        ToolContext ctx = context(t, args);
        t.describe(args, ctx);
        ToolResult result = t.execute(args, ctx);
        // every result a test sees is checked against the tool's output schema, so a result shape that drifts from
        // what the tool publishes fails whichever test produced it
        List<String> problems = ToolDefinitionChecks.resultProblems(t.definition(), result);
        if (!problems.isEmpty()) {
            throw new AssertionError(
                    "result of " + tool + " does not match its output schema:\n- " + String.join("\n- ", problems));
        }
        return result;
    }

    /** {@link #call(String, ObjectNode)} with the arguments as a JSON literal. */
    public ToolResult call(String tool, String json) {
        return call(tool, args(json));
    }

    private OpsTool validated(String tool, ObjectNode args) {
        OpsTool t = require(tool);
        List<String> violations = validator.validate(tool, args);
        if (!violations.isEmpty()) {
            throw new ToolException(
                    ToolException.Kind.INVALID_ARGUMENT,
                    "Invalid arguments for " + tool + ":\n- " + String.join("\n- ", violations));
        }
        return t;
    }

    private ToolContext context(OpsTool tool, ObjectNode args) {
        boolean dryRun =
                !tool.definition().readOnly() && args.path(ToolSpec.DRY_RUN).asBoolean(false);
        return new ToolContext(
                principal, "req-test", Instant.now().plus(timeout), null, null, dryRun, ToolContext.Cancellation.NONE);
    }

    private OpsTool require(String tool) {
        OpsTool t = tools.get(tool);
        if (t == null) {
            throw new IllegalArgumentException("no tool " + tool + "; have " + tools.keySet());
        }
        return t;
    }
}
