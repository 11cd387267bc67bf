package io.opsmcp.guard.gateway;

import io.opsmcp.core.config.InvalidConfigException;
import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolDefinition;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.guard.approval.ApprovalService;
import io.opsmcp.guard.approval.InBandApprover;
import io.opsmcp.guard.audit.AuditEvent.Phase;
import io.opsmcp.guard.observe.CallObserver;
import io.opsmcp.guard.observe.CallTimings;
import io.opsmcp.guard.observe.ObservedCall;
import io.opsmcp.guard.policy.CallFacts;
import io.opsmcp.guard.policy.Guard;
import io.opsmcp.toolkit.redact.Redactor;
import io.opsmcp.toolkit.schema.ArgumentValidator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one path every tool call takes, whatever the transport: look up the tool, validate the arguments
 * against its JSON Schema, {@code describe} the action, ask the {@link Guard} (policy, approvals, audit),
 * {@code execute} under a deadline, record the outcome, redact and cap the result. Nothing runs when
 * validation fails or the guard says no.
 *
 * <p>Every tool that changes something gets two optional arguments in its published schema:
 * {@value #APPROVAL_ID}, the id of an approval granted for exactly this call, and {@value #BREAK_GLASS_REASON},
 * why a break-glass principal makes the change (read by the policy, recorded in the audit log, never passed to the
 * tool).
 *
 * <p>Arguments larger than {@code limits.max_argument_bytes} (as compact JSON, UTF-8) are refused before they
 * are validated; rejected arguments are audited as their SHA-256, size and a short redacted excerpt, never whole.
 */
public final class ToolGateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ToolGateway.class);

    /** Argument added to mutating tools: the approval that lets this exact call run. */
    public static final String APPROVAL_ID = "approval_id";
    /** Format of approval ids ({@code apr_} + 26 lowercase base32 characters). */
    public static final String APPROVAL_ID_PATTERN = "^apr_[a-z2-7]{26}$";
    /** Argument added to mutating tools: why a break-glass principal makes this change (policy input only). */
    public static final String BREAK_GLASS_REASON = "break_glass_reason";
    /** Longest {@value #BREAK_GLASS_REASON} accepted, in characters. */
    public static final int BREAK_GLASS_REASON_MAX = 2000;
    /** Default of {@code limits.max_argument_bytes}: 256 KiB. */
    public static final int DEFAULT_MAX_ARGUMENT_BYTES = 256 * 1024;

    /**
     * A tool and the toolset that contributed it.
     *
     * @param published the definition clients see: for mutating tools the input schema has {@value #APPROVAL_ID}
     *                  and the output schema also admits the approval notice a call may end in
     */
    public record RegisteredTool(String toolset, OpsTool tool, ToolDefinition published) {
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
     * @param inBand    asks the person at the client to approve a change in-band, or {@code null}
     * @param cancellation the client's cancellation of this request (MCP {@code notifications/cancelled});
     *                  {@code null} means it cannot be cancelled by the client (only by the deadline)
     */
    public record Call(
            String tool,
            JsonNode args,
            Principal principal,
            String requestId,
            ToolContext.Progress progress,
            ToolContext.Log log,
            InBandApprover inBand,
            ToolContext.Cancellation cancellation) {

        public Call {
            cancellation = cancellation == null ? ToolContext.Cancellation.NONE : cancellation;
        }

        /** A call the client cannot cancel. */
        public Call(
                String tool,
                JsonNode args,
                Principal principal,
                String requestId,
                ToolContext.Progress progress,
                ToolContext.Log log,
                InBandApprover inBand) {
            this(tool, args, principal, requestId, progress, log, inBand, null);
        }

        /** A call from a client that cannot be asked in-band. */
        public Call(
                String tool,
                JsonNode args,
                Principal principal,
                String requestId,
                ToolContext.Progress progress,
                ToolContext.Log log) {
            this(tool, args, principal, requestId, progress, log, null, null);
        }
    }

    private final Map<String, RegisteredTool> tools;
    private final ArgumentValidator validator;
    private final ResultLimiter limiter;
    private final Guard guard;
    private final Redactor redactor;
    private final Duration timeout;
    private final Clock clock;
    private final ExecutorService executor;
    private final List<OpsToolset> toolsets;
    private final int maxArgumentBytes;
    private final CallAdmission admission;
    private final CallObserver observer;

    /** A gateway with the default argument limit ({@value #DEFAULT_MAX_ARGUMENT_BYTES} bytes). */
    public ToolGateway(
            List<OpsToolset> toolsets,
            ArgumentValidator validator,
            ResultLimiter limiter,
            Guard guard,
            Redactor redactor,
            Duration timeout,
            Clock clock) {
        this(toolsets, validator, limiter, guard, redactor, timeout, clock, DEFAULT_MAX_ARGUMENT_BYTES);
    }

    /**
     * A gateway without rate or concurrency limits.
     *
     * @param maxArgumentBytes largest accepted arguments object, in bytes of compact UTF-8 JSON
     *                         ({@code limits.max_argument_bytes})
     * @throws IllegalArgumentException when two toolsets contribute the same tool name or a schema is invalid
     */
    public ToolGateway(
            List<OpsToolset> toolsets,
            ArgumentValidator validator,
            ResultLimiter limiter,
            Guard guard,
            Redactor redactor,
            Duration timeout,
            Clock clock,
            int maxArgumentBytes) {
        this(
                toolsets,
                validator,
                limiter,
                guard,
                redactor,
                timeout,
                clock,
                maxArgumentBytes,
                CallAdmission.UNLIMITED,
                CallObserver.NONE);
    }

    /**
     * @param maxArgumentBytes largest accepted arguments object, in bytes of compact UTF-8 JSON
     *                         ({@code limits.max_argument_bytes})
     * @param admission        the rate and concurrency limits ({@code rate_limits:}), asked first for every call
     * @param observer         told about every call once it ended ({@link CallObserver}; {@link CallObserver#NONE}
     *                         for none)
     * @throws IllegalArgumentException when two toolsets contribute the same tool name or a schema is invalid
     */
    public ToolGateway(
            List<OpsToolset> toolsets,
            ArgumentValidator validator,
            ResultLimiter limiter,
            Guard guard,
            Redactor redactor,
            Duration timeout,
            Clock clock,
            int maxArgumentBytes,
            CallAdmission admission,
            CallObserver observer) {
        this.maxArgumentBytes = maxArgumentBytes;
        this.admission = admission == null ? CallAdmission.UNLIMITED : admission;
        this.observer = observer == null ? CallObserver.NONE : observer;
        this.validator = validator;
        this.limiter = limiter;
        this.guard = guard;
        this.redactor = redactor;
        this.timeout = timeout;
        this.clock = clock;
        this.toolsets = List.copyOf(toolsets);
        Map<String, RegisteredTool> byName = new LinkedHashMap<>();
        for (OpsToolset toolset : toolsets) {
            for (OpsTool tool : toolset.tools()) {
                ToolDefinition def = tool.definition();
                ToolDefinition published = def.readOnly() ? def : withGuardArguments(def);
                RegisteredTool previous =
                        byName.putIfAbsent(def.name(), new RegisteredTool(toolset.name(), tool, published));
                if (previous != null) {
                    throw new IllegalArgumentException("tool " + def.name() + " is contributed by both toolset "
                            + previous.toolset() + " and toolset " + toolset.name());
                }
                validator.register(def.name(), published.inputSchema());
            }
        }
        this.tools = Collections.unmodifiableMap(byName);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "tool-call-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        // The tool runs on a tool-call-N thread: it logs with the caller's MDC (request id, principal).
        this.executor = new MdcExecutor(Executors.newCachedThreadPool(threads));
    }

    /**
     * {@code limits.max_argument_bytes} from the configuration tree, or {@value #DEFAULT_MAX_ARGUMENT_BYTES}.
     *
     * @throws InvalidConfigException when it is not an integer of at least 1024
     */
    public static int maxArgumentBytes(JsonNode config) {
        JsonNode v = config.path("limits").path("max_argument_bytes");
        if (v.isMissingNode() || v.isNull()) {
            return DEFAULT_MAX_ARGUMENT_BYTES;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1024) {
            throw new InvalidConfigException(
                    "limits.max_argument_bytes: must be an integer of at least 1024 (got " + v + ")");
        }
        return v.asInt();
    }

    private static ToolDefinition withGuardArguments(ToolDefinition def) {
        ObjectNode schema = def.inputSchema().deepCopy();
        ObjectNode properties = schema.get("properties") instanceof ObjectNode p ? p : schema.putObject("properties");
        ObjectNode approval = properties.putObject(APPROVAL_ID);
        approval.put("type", "string");
        approval.put("pattern", APPROVAL_ID_PATTERN);
        approval.put("description", "Approval for this exact call.");
        ObjectNode reason = properties.putObject(BREAK_GLASS_REASON);
        reason.put("type", "string");
        reason.put("maxLength", BREAK_GLASS_REASON_MAX);
        reason.put("description", "Break-glass only: why it cannot wait.");
        return new ToolDefinition(
                def.name(),
                def.title(),
                def.description(),
                schema,
                withApprovalResult(def.outputSchema()),
                def.annotations(),
                // the tool's own classification, not one derived from its hints: a tool may carry destructiveHint
                // for clients and still not be destructive to the policy (ecs_update_task_resources)
                def.destructive());
    }

    /**
     * A mutating call may end in the tool's own result (or its dry-run preview) or stop for an approval
     * ({@link ApprovalService#status}): the published output schema admits both.
     */
    private static ObjectNode withApprovalResult(ObjectNode output) {
        if (output == null) {
            return null;
        }
        ObjectNode either = JsonNodeFactory.instance.objectNode();
        either.put("type", "object");
        either.putArray("anyOf").add(output.deepCopy()).add(ApprovalService.statusSchema());
        return either;
    }

    /** The registered tools, in toolset order. */
    public List<RegisteredTool> tools() {
        return List.copyOf(tools.values());
    }

    /**
     * Runs one call to completion. Never throws: every failure becomes an error result.
     *
     * <p>The {@link CallAdmission} is asked first, before the tool is looked up and the arguments validated: every
     * call counts against the caller's rate limits (a flood of unknown-tool or invalid calls too, each of which
     * would otherwise cost a schema validation and an audit record), and the concurrency slot is held until the call
     * has ended, whichever way it ends.
     */
    public ToolResult call(Call call) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        CallTimings timings = new CallTimings();
        JsonNode args =
                call.args() == null || call.args().isNull() ? JsonNodeFactory.instance.objectNode() : call.args();
        ToolResult result;
        CallAdmission.Admission admitted;
        try {
            admitted = admission.admit(call.tool(), call.principal());
        } catch (RuntimeException e) {
            // Fail closed: a limiter that cannot answer admits nothing.
            log.error("rate limits could not be checked for {}: {}", call.tool(), redactor.redact(String.valueOf(e)));
            admitted = new CallAdmission.Refused(
                    CallAdmission.Limit.RATE,
                    "rate_limits",
                    "The rate limits could not be checked, so this call was refused; the server log has the details.",
                    null,
                    true,
                    0);
        }
        if (admitted instanceof CallAdmission.Refused refused) {
            result = refuse(call, args, refused, started, t0, timings);
        } else {
            try (CallAdmission.Permit permit = (CallAdmission.Permit) admitted) {
                result = admitted(call, args, started, t0, timings);
            }
        }
        String text = limiter.limit(redactor.redact(result.text()));
        JsonNode structured = limiter.limit(redactor.redact(result.structuredContent()));
        observe(call, tools.get(call.tool()), started, t0, timings);
        return new ToolResult(text, structured, result.error());
    }

    /**
     * A call over a limit: the client gets the limiter's message; the audit log gets a record when the limiter says
     * this refusal is recorded (the first of a burst), naming how many were not recorded one by one.
     */
    private ToolResult refuse(
            Call call, JsonNode args, CallAdmission.Refused refused, Instant started, long t0, CallTimings timings) {
        ToolResult result = ToolResult.error(refused.message());
        Phase phase = refused.limit() == CallAdmission.Limit.RATE ? Phase.RATE_LIMITED : Phase.CONCURRENCY_LIMITED;
        timings.decided(ObservedCall.Decision.REJECTED, phase);
        if (refused.recorded()) {
            RegisteredTool registered = tools.get(call.tool());
            String error = refused.unrecorded() == 0
                    ? refused.message()
                    : refused.message() + " (" + refused.unrecorded() + " earlier refusal(s) of this principal under "
                            + refused.rule() + " were not recorded one by one)";
            guard.rejected(
                    call.principal(),
                    call.requestId(),
                    call.tool(),
                    registered == null ? null : registered.toolset(),
                    ArgumentDigest.of(args, maxArgumentBytes, redactor).toJson(),
                    phase,
                    error,
                    started,
                    elapsed(t0),
                    timings);
        }
        return result;
    }

    private ToolResult admitted(Call call, JsonNode args, Instant started, long t0, CallTimings timings) {
        RegisteredTool registered = tools.get(call.tool());
        ToolResult result;
        if (registered == null) {
            result = ToolResult.error("Unknown tool '" + call.tool() + "'. Use tools/list to see the available tools.");
            guard.rejected(
                    call.principal(),
                    call.requestId(),
                    call.tool(),
                    null,
                    ArgumentDigest.of(args, maxArgumentBytes, redactor).toJson(),
                    Phase.UNKNOWN_TOOL,
                    result.text(),
                    started,
                    elapsed(t0),
                    timings);
        } else {
            result = run(registered, args, call, started, t0, timings);
        }
        return result;
    }

    /** Tells the observer how the call ended; never throws ({@link CallObserver#safely}). */
    private void observe(Call call, RegisteredTool registered, Instant started, long t0, CallTimings timings) {
        if (observer == CallObserver.NONE) {
            return;
        }
        // A stop the guard did not classify (none today) counts as a rejection rather than going unobserved.
        ObservedCall.Decision decision =
                timings.decision() == null ? ObservedCall.Decision.REJECTED : timings.decision();
        Phase outcome = timings.phase() == null ? Phase.DENIED : timings.phase();
        ObservedCall observed;
        try {
            observed = new ObservedCall(
                    call.tool() == null ? "" : call.tool(),
                    registered == null ? null : registered.toolset(),
                    call.principal().id(),
                    call.requestId(),
                    timings.resource(),
                    decision,
                    outcome,
                    started,
                    Duration.ofNanos(System.nanoTime() - t0),
                    timings.policyTime(),
                    timings.auditTime(),
                    timings.executionTime());
        } catch (RuntimeException e) {
            // a call without a principal id cannot be described; observation must not fail the call
            log.warn("call of {} not observed: {}", redactor.redact(String.valueOf(call.tool())), e.toString());
            return;
        }
        CallObserver.safely(observer, observed);
    }

    private ToolResult run(
            RegisteredTool registered, JsonNode args, Call call, Instant started, long t0, CallTimings timings) {
        // The definition the tool was registered with (and clients see): name, read-only and destructive flags are
        // the published ones; a tool may build its definition (schemas and all) anew on every call, which cost the
        // call more than the rest of its look-ups.
        ToolDefinition def = registered.published();
        String name = def.name();
        String toolset = registered.toolset();
        // The size is bounded before anything else looks at the arguments (schema validation, redaction).
        ArgumentDigest digest = ArgumentDigest.of(args, maxArgumentBytes, redactor);
        List<String> violations = digest.oversized()
                ? List.of("arguments: " + digest.sizeText() + " is more than limits.max_argument_bytes ("
                        + maxArgumentBytes + " bytes); send less data (rule: max_argument_bytes)")
                : args.isObject() ? validator.validate(name, args) : List.of("arguments: must be a JSON object");
        if (!violations.isEmpty()) {
            ToolResult invalid =
                    ToolResult.error("Invalid arguments for " + name + ":\n- " + String.join("\n- ", violations));
            guard.rejected(
                    call.principal(),
                    call.requestId(),
                    name,
                    toolset,
                    digest.toJson(),
                    digest.oversized() ? Phase.OVERSIZED_ARGUMENTS : Phase.INVALID_ARGUMENTS,
                    invalid.text(),
                    started,
                    elapsed(t0),
                    timings);
            return invalid;
        }
        ObjectNode callArgs = ((ObjectNode) args).deepCopy();
        // Only mutating tools got approval_id and break_glass_reason from the gateway; a read-only tool's own
        // argument of that name (approval_status) stays. The reason is the policy's and the audit log's, not the
        // tool's.
        boolean guardArgs = !def.readOnly();
        JsonNode approvalNode = guardArgs ? callArgs.remove(APPROVAL_ID) : null;
        String approvalId = approvalNode == null ? null : approvalNode.asString();
        ObjectNode toolArgs = callArgs.deepCopy();
        if (guardArgs) {
            toolArgs.remove(BREAK_GLASS_REASON);
        }
        JsonNode redactedArgs = redactor.redact(callArgs);
        Instant deadline = started.plus(timeout);
        // dry_run is decided once, here: the policy input and the tool see the same value (ToolContext.dryRun).
        boolean dryRun = !def.readOnly() && toolArgs.path("dry_run").asBoolean(false);
        CallCancellation cancellation = new CallCancellation();
        ToolContext ctx = new ToolContext(
                call.principal(), call.requestId(), deadline, call.progress(), call.log(), dryRun, cancellation);

        ActionDescriptor action;
        try {
            // Anonymous classes, not lambdas, for the per-call steps: C1 (the container's -XX:TieredStopAtLevel=1)
            // creates a capturing lambda through a runtime call (Unsafe.allocateInstance), ~10x a plain `new`.
            OpsTool tool = registered.tool();
            Callable<ActionDescriptor> describe = new Callable<>() {
                @Override
                public ActionDescriptor call() throws Exception {
                    return tool.describe(toolArgs, ctx);
                }
            };
            action = step(tool.describesLocally(), describe, deadline, name, cancellation, call.cancellation());
        } catch (Failure f) {
            guard.rejected(
                    call.principal(),
                    call.requestId(),
                    name,
                    toolset,
                    redactedArgs,
                    f.phase,
                    f.result.text(),
                    started,
                    elapsed(t0),
                    timings);
            return f.result;
        }
        timings.described(ObservedCall.Resource.of(action));
        CallFacts facts = new CallFacts(
                call.principal(),
                call.requestId(),
                name,
                toolset,
                def.readOnly(),
                def.destructive() || action.destructive(),
                dryRun,
                callArgs,
                redactedArgs,
                action,
                approvalId,
                started,
                call.inBand());
        Guard.Verdict verdict = guard.check(facts, timings);
        if (verdict instanceof Guard.Verdict.Stop stop) {
            return stop.result();
        }
        Guard.Verdict.Proceed proceed = (Guard.Verdict.Proceed) verdict;
        long executing = System.nanoTime();
        try {
            OpsTool tool = registered.tool();
            Callable<ToolResult> execute = new Callable<>() {
                @Override
                public ToolResult call() throws Exception {
                    return tool.execute(toolArgs, ctx);
                }
            };
            ToolResult result =
                    step(tool.executesLocally(), execute, deadline, name, cancellation, call.cancellation());
            timings.execution(System.nanoTime() - executing);
            guard.completed(
                    facts, proceed, result.error() ? Phase.FAILED : Phase.SUCCEEDED, result, elapsed(t0), timings);
            return result;
        } catch (Failure f) {
            timings.execution(System.nanoTime() - executing);
            guard.completed(facts, proceed, f.phase, f.result, elapsed(t0), timings);
            return f.result;
        }
    }

    /** A call that ended without a value: the phase for the audit log and the result for the client. */
    private static final class Failure extends Exception {
        final Phase phase;
        final ToolResult result;

        Failure(Phase phase, ToolResult result) {
            super(phase.wire(), null, false, false);
            this.phase = phase;
            this.result = result;
        }
    }

    /**
     * Waits for the tool until the deadline or the client's cancellation. A cancellation by the client fires the
     * call's {@link CallCancellation} (the tool's clean-up: kill the SSH command, abort the HTTP request) and
     * interrupts the tool's thread, as the deadline does.
     */
    private <T> T await(
            Future<T> future,
            Instant deadline,
            String name,
            CallCancellation cancellation,
            ToolContext.Cancellation client)
            throws Failure {
        long remaining = Math.max(1, Duration.between(clock.instant(), deadline).toMillis());
        AutoCloseable wake = client.onCancel(
                new Runnable() { // a class, not a lambda, as the steps in run()
                    @Override
                    public void run() {
                        cancellation.cancelByClient();
                        future.cancel(true);
                    }
                });
        try {
            T value = future.get(remaining, TimeUnit.MILLISECONDS);
            if (cancellation.byClient()) {
                // cancelled while finishing: the client no longer waits for the value, the audit says cancelled
                throw cancelled(name, cancellation);
            }
            return value;
        } catch (CancellationException e) {
            throw cancelled(name, cancellation);
        } catch (TimeoutException e) {
            cancellation.cancel();
            future.cancel(true);
            throw timedOut(name);
        } catch (InterruptedException e) {
            cancellation.cancel();
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw cancelled(name, cancellation);
        } catch (ExecutionException e) {
            throw failed(name, cancellation, e.getCause());
        } finally {
            closeQuietly(wake);
        }
    }

    /**
     * Runs one step of the call ({@code describe} or {@code execute}): on the calling thread when the tool declares
     * the step local ({@link #runHere}), else on a tool thread ({@link #await}). A client that has already cancelled
     * or a caller already interrupted ends the call as cancelled before the step starts, on either path: a handed-off
     * step could otherwise finish before the caller looked at its interrupt (a finished future answers {@code get}
     * even to an interrupted thread), and an execute would then run for a call its caller had given up.
     */
    private <T> T step(
            boolean local,
            Callable<T> step,
            Instant deadline,
            String name,
            CallCancellation cancellation,
            ToolContext.Cancellation client)
            throws Failure {
        notCancelled(name, cancellation, client);
        return local
                ? runHere(step, deadline, name, cancellation, client)
                : await(executor.submit(step), deadline, name, cancellation, client);
    }

    /**
     * Ends the call as cancelled, before a step starts, when its client has cancelled or its caller is interrupted.
     *
     * @throws Failure the cancellation (the client's, or the caller's interrupt, which stays set)
     */
    private void notCancelled(String name, CallCancellation cancellation, ToolContext.Cancellation client)
            throws Failure {
        if (client.cancelled()) {
            cancellation.cancelByClient();
            throw cancelled(name, cancellation);
        }
        if (Thread.currentThread().isInterrupted()) {
            cancellation.cancel();
            throw cancelled(name, cancellation);
        }
    }

    /**
     * {@code describe} or {@code execute} of a tool that declares it local ({@link OpsTool#describesLocally()},
     * {@link OpsTool#executesLocally()}), on the calling thread: no hand-off to a tool thread and back. The outcome
     * is what {@link #await} makes of the same step: a client's cancellation (before or during it) or an interrupt of
     * the caller ends the call as cancelled, a step that ends after the deadline as timed out, a thrown exception as
     * the same error result.
     */
    private <T> T runHere(
            Callable<T> step,
            Instant deadline,
            String name,
            CallCancellation cancellation,
            ToolContext.Cancellation client)
            throws Failure {
        AutoCloseable wake = client.onCancel(
                new Runnable() { // a class, not a method reference, as in run()
                    @Override
                    public void run() {
                        cancellation.cancelByClient();
                    }
                });
        try {
            // again now that the hook is registered (the client may have cancelled since step() looked): as a future
            // cancelled before its task started, the step does not run
            notCancelled(name, cancellation, client);
            T value = null;
            Throwable thrown = null;
            try {
                value = step.call();
            } catch (Throwable e) { // as the executor's future would have caught it
                thrown = e;
            }
            // The order of await: a cancellation or an interrupt, then the deadline, win over what the step
            // returned or threw (await stops waiting at either and never sees the step's end).
            if (cancellation.byClient()) {
                throw cancelled(name, cancellation);
            }
            if (Thread.currentThread().isInterrupted()) {
                cancellation.cancel();
                throw cancelled(name, cancellation);
            }
            if (!clock.instant().isBefore(deadline)) {
                cancellation.cancel();
                throw timedOut(name);
            }
            if (thrown != null) {
                throw failed(name, cancellation, thrown);
            }
            return value;
        } finally {
            closeQuietly(wake);
        }
    }

    private Failure timedOut(String name) {
        return new Failure(
                Phase.TIMEOUT,
                ToolResult.error(name + " did not finish within " + timeout.toSeconds()
                        + " s and was stopped (limits.tool_timeout_seconds)."));
    }

    /** The failure of a tool that threw {@code cause} (or was cancelled by the client, which made it throw). */
    private Failure failed(String name, CallCancellation cancellation, Throwable cause) {
        if (cancellation.byClient()) {
            // the tool ended because it was cancelled (its command killed, its request aborted)
            return cancelled(name, cancellation);
        }
        if (cause instanceof ToolException te) {
            Phase phase = te.kind() == ToolException.Kind.INVALID_ARGUMENT
                    ? Phase.INVALID_ARGUMENTS
                    : te.kind() == ToolException.Kind.TIMEOUT ? Phase.TIMEOUT : Phase.FAILED;
            return new Failure(phase, ToolResult.error(label(te.kind()) + te.getMessage()));
        }
        // The stack trace goes to debug only: exception messages from libraries may carry secrets.
        log.error("tool {} failed: {}", name, redactor.redact(String.valueOf(cause)));
        log.debug("tool {} failure detail", name, cause);
        return new Failure(
                Phase.FAILED,
                ToolResult.error(name + " failed with an internal error; the server log has" + " the details."));
    }

    private static void closeQuietly(AutoCloseable wake) {
        try {
            wake.close();
        } catch (Exception ignored) {
            // unregistering from the client's cancellation cannot fail in a way that matters here
        }
    }

    /**
     * The outcome of a cancelled call: {@link Phase#CANCELLED}, or {@link Phase#CANCELLED_AFTER_SEND} naming what
     * was sent when the tool had passed its point of no return (the change may have taken effect).
     */
    private static Failure cancelled(String name, CallCancellation cancellation) {
        String sent = cancellation.sent();
        if (sent == null) {
            return new Failure(Phase.CANCELLED, ToolResult.error(name + " was cancelled by the client."));
        }
        return new Failure(
                Phase.CANCELLED_AFTER_SEND,
                ToolResult.error(name + " was cancelled after the change was sent (" + sent
                        + "); it may have taken effect: check the resource before trying again."));
    }

    private static long elapsed(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
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
                log.warn(
                        "closing toolset {} failed: {}",
                        toolset.name(),
                        redactor.redact(String.valueOf(e.getMessage())));
            }
        }
    }
}
