package io.opsmcp.server.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.core.tool.Principal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * MCP resource subscriptions ({@code resources/subscribe}, {@code resources/unsubscribe}) per session, and the
 * {@code notifications/resources/updated} they lead to. The session wrappers of every transport record a
 * subscription here with the subscriber's principal (the SDK's own bookkeeping knows no principals); an update is
 * sent to a subscriber only if the policy lets that principal read the URI at that moment ({@code mayRead}), so a
 * subscription does not outlive a revoked right and reveals nothing a read would not.
 *
 * <p>Updates come from the guard: an approval created, voted on or used changes {@value #PENDING} and
 * {@code ops://approvals/{id}}; every audit record changes {@value #AUDIT}. Delivery runs off the caller's thread
 * (policy decisions per subscriber must not slow the audited call).
 */
public final class ResourceSubscriptions {

    /** The pending approvals. */
    public static final String PENDING = "ops://approvals/pending";
    /** The newest audit records. */
    public static final String AUDIT = "ops://audit/recent";

    private static final String APPROVAL_PREFIX = "ops://approvals/";
    private static final Logger log = LoggerFactory.getLogger(ResourceSubscriptions.class);

    /** Sends one notification ({@code method}, {@code params}) to the subscribing session. */
    public interface Sender extends BiFunction<String, Object, Mono<Void>> {}

    private record Subscriber(Principal principal, Sender sender) {}

    private final BiPredicate<Principal, String> mayRead;
    private final Function<McpTransportContext, Principal> principals;
    /** URI to session id to subscriber. */
    private final Map<String, Map<String, Subscriber>> byUri = new ConcurrentHashMap<>();

    /**
     * @param mayRead    whether the policy lets a principal read a URI now
     * @param principals the caller of a request, from its transport context
     */
    public ResourceSubscriptions(
            BiPredicate<Principal, String> mayRead, Function<McpTransportContext, Principal> principals) {
        this.mayRead = mayRead;
        this.principals = principals;
    }

    /**
     * Records {@code resources/subscribe} and {@code resources/unsubscribe} requests of session {@code sessionId}
     * (other requests are ignored); called by the session wrappers (stdio, HTTP+SSE, streamable HTTP) before the SDK
     * answers the request, which it does with an empty result.
     */
    public void observe(
            String sessionId, McpSchema.JSONRPCRequest request, McpTransportContext context, Sender sender) {
        if (!(request.params() instanceof Map<?, ?> params) || !(params.get("uri") instanceof String uri)) {
            return;
        }
        if ("resources/subscribe".equals(request.method())) {
            byUri.computeIfAbsent(uri, u -> new ConcurrentHashMap<>())
                    .put(sessionId, new Subscriber(principals.apply(context), sender));
        } else if ("resources/unsubscribe".equals(request.method())) {
            var sessions = byUri.get(uri);
            if (sessions != null) {
                sessions.remove(sessionId);
            }
        }
    }

    /** Forgets every subscription of a session that ended. */
    public void drop(String sessionId) {
        byUri.values().forEach(sessions -> sessions.remove(sessionId));
    }

    /** Approval {@code id} was created, voted on or used. */
    public void approvalChanged(String id) {
        updated(PENDING);
        updated(APPROVAL_PREFIX + id);
    }

    /** The audit log got a record. */
    public void auditAppended() {
        updated(AUDIT);
    }

    /** Sends {@code notifications/resources/updated} for {@code uri} to the subscribers that may read it. */
    public void updated(String uri) {
        Map<String, Subscriber> sessions = byUri.get(uri);
        if (sessions == null || sessions.isEmpty()) {
            return;
        }
        Mono.fromRunnable(() -> sessions.forEach((sessionId, subscriber) -> {
                    if (!mayRead.test(subscriber.principal(), uri)) {
                        return;
                    }
                    subscriber
                            .sender()
                            .apply(
                                    McpSchema.METHOD_NOTIFICATION_RESOURCES_UPDATED,
                                    new McpSchema.ResourcesUpdatedNotification(uri))
                            .subscribe(ignored -> {}, error -> {
                                // The session's stream is gone: it will not want further updates.
                                log.debug("resource update to session {} failed: {}", sessionId, error.toString());
                                drop(sessionId);
                            });
                }))
                .subscribeOn(Schedulers.boundedElastic())
                .subscribe(
                        ignored -> {}, error -> log.warn("resource update for {} failed: {}", uri, error.toString()));
    }
}
