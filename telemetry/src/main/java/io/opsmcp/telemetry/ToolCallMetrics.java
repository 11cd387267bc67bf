package io.opsmcp.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opsmcp.guard.observe.CallObserver;
import io.opsmcp.guard.observe.ObservedCall;

/**
 * Tool-call meters from the guard's observations. Labels are closed sets only: {@code tool} is a registered tool's
 * name (a call of an unknown tool is counted under {@value #UNKNOWN_TOOL}, so a client cannot create series),
 * {@code toolset}, {@code decision} and {@code outcome} are enums. Principal ids and resource names are never labels.
 *
 * <ul>
 *   <li>{@code opsmcp.tool.calls} (counter: tool, toolset, decision, outcome)</li>
 *   <li>{@code opsmcp.tool.denials} (counter: tool): calls the policy, an approval check or an unreachable store
 *       refused</li>
 *   <li>{@code opsmcp.guard.decisions} (counter: decision)</li>
 *   <li>{@code opsmcp.tool.duration} (timer with histogram buckets: tool): the whole call in the gateway</li>
 * </ul>
 */
final class ToolCallMetrics implements CallObserver {

    /** The {@code tool} label of calls to tools that do not exist. */
    static final String UNKNOWN_TOOL = "_unknown";

    private final MeterRegistry registry;

    ToolCallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void callEnded(ObservedCall call) {
        String tool = call.known() ? call.tool() : UNKNOWN_TOOL;
        String toolset = call.known() ? call.toolset() : UNKNOWN_TOOL;
        String decision = call.decision().wire();
        Counter.builder("opsmcp.tool.calls")
                .description("Tool calls by tool, the guard's decision and the outcome (audit phase)")
                .tag("tool", tool)
                .tag("toolset", toolset)
                .tag("decision", decision)
                .tag("outcome", call.outcome().wire())
                .register(registry)
                .increment();
        if (call.decision() == ObservedCall.Decision.DENY) {
            Counter.builder("opsmcp.tool.denials")
                    .description("Tool calls refused by the policy, an approval check or an unreachable store")
                    .tag("tool", tool)
                    .register(registry)
                    .increment();
        }
        Counter.builder("opsmcp.guard.decisions")
                .description("The guard's decisions on tool calls")
                .tag("decision", decision)
                .register(registry)
                .increment();
        Timer.builder("opsmcp.tool.duration")
                .description("Tool calls from receipt to result in the gateway (validation, policy, audit, execution)")
                .tag("tool", tool)
                .serviceLevelObjectives(Buckets.LATENCY)
                .register(registry)
                .record(call.total());
    }
}
