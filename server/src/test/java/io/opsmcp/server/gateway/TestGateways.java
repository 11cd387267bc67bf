package io.opsmcp.server.gateway;

import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.guard.approval.ApprovalService;
import io.opsmcp.guard.gateway.ResultLimiter;
import io.opsmcp.guard.gateway.ToolGateway;
import io.opsmcp.guard.policy.EmbeddedPolicyEngine;
import io.opsmcp.guard.policy.Guard;
import io.opsmcp.store.jdbc.Stores;
import io.opsmcp.toolkit.redact.Redactor;
import io.opsmcp.toolkit.schema.ArgumentValidator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The gateway tests' gateway: the shipped policy over real stores, the system clock, a 64 KiB result limit. */
final class TestGateways {

    private TestGateways() {}

    /** A guard deciding with the shipped bundle, approvals and audit in {@code stores}. */
    static Guard shippedGuard(Stores stores) {
        return new Guard(
                EmbeddedPolicyEngine.defaultBundle(),
                new ApprovalService(stores.approvals(), Clock.systemUTC()),
                stores.audit(),
                Clock.systemUTC());
    }

    /** A gateway over {@code toolset} with {@link #shippedGuard} and a per-call deadline of {@code timeout}. */
    static ToolGateway of(OpsToolset toolset, Stores stores, Duration timeout) {
        return new ToolGateway(
                List.of(toolset),
                new ArgumentValidator(),
                new ResultLimiter(65536),
                shippedGuard(stores),
                new Redactor(),
                timeout,
                Clock.systemUTC());
    }
}
