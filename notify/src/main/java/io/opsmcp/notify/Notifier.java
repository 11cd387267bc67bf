package io.opsmcp.notify;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.opsmcp.guard.approval.ApprovalEvent;
import io.opsmcp.guard.approval.ApprovalListener;
import io.opsmcp.guard.approval.ApprovalService;
import io.opsmcp.guard.audit.AuditEvent;
import io.opsmcp.guard.audit.AuditStore;
import io.opsmcp.toolkit.redact.Redactor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends approval lifecycle events to the configured sinks without ever holding up the call that caused them: the
 * {@link ApprovalListener} callback only queues the event (a bounded queue; when it is full the event is dropped and
 * the drop audited), one worker renders it per sink and starts the deliveries, which run asynchronously under a
 * resilience4j {@link Retry} (exponential backoff with jitter; retried on connection errors, timeouts, 408, 429 and
 * 5xx). A delivery that still fails is written to the audit log ({@code phase: failed}, the sink's name, the
 * approval id and the last status; never the URL or the secret) and logged the same way.
 *
 * <p>Expiry is a matter of time, so the notifier watches the approvals it saw requested and announces
 * {@code approval.expired} (through {@link ApprovalService#announceExpired}) once one passes its expiry unused.
 * Approvals requested by other replicas are notified by those replicas.
 */
public final class Notifier implements ApprovalListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    /** The audit principal of notification records. */
    static final String AUDIT_PRINCIPAL = "ops-mcp:notifications";

    private final NotificationSettings settings;
    private final Redactor redactor;
    private final AuditStore audit;
    private final Function<String, URI> links;
    private final Clock clock;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();
    private final ThreadPoolExecutor worker;
    private final ScheduledExecutorService scheduler;
    private final Semaphore inFlight;
    private final AtomicLong dropped = new AtomicLong();
    /** Approvals seen requested and not yet finished, with their expiry; bounded by the queue size × 10. */
    private final Map<String, Instant> watched = new ConcurrentHashMap<>();

    private final ApprovalService approvals;

    /**
     * @param links the approval page of an id, or {@code null} when there is none (no public URL)
     */
    private Notifier(
            NotificationSettings settings,
            ApprovalService approvals,
            Redactor redactor,
            AuditStore audit,
            Function<String, URI> links,
            Clock clock) {
        this.settings = settings;
        this.approvals = approvals;
        this.redactor = redactor;
        this.audit = audit;
        this.links = links;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.worker = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.queueSize()),
                r -> daemon(r, "ops-mcp-notify"),
                new ThreadPoolExecutor.AbortPolicy());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ops-mcp-notify-retry"));
        this.inFlight = new Semaphore(settings.queueSize());
    }

    /**
     * Starts notifying: registers with {@code approvals} and watches expiries every {@code expiryCheck}.
     *
     * @param links the approval page URL of an approval id, or {@code null} for none
     */
    public static Notifier start(
            NotificationSettings settings,
            ApprovalService approvals,
            Redactor redactor,
            AuditStore audit,
            Function<String, URI> links,
            Clock clock,
            Duration expiryCheck) {
        Notifier notifier = new Notifier(settings, approvals, redactor, audit, links, clock);
        approvals.addListener(notifier);
        notifier.scheduler.scheduleWithFixedDelay(
                notifier::checkExpiries, expiryCheck.toMillis(), expiryCheck.toMillis(), TimeUnit.MILLISECONDS);
        return notifier;
    }

    /** Queues the event; never blocks, never throws. */
    @Override
    public void onEvent(ApprovalEvent event) {
        try {
            worker.execute(() -> dispatch(event));
        } catch (RejectedExecutionException e) {
            dropped.incrementAndGet(); // audited by the worker when it catches up (see dispatch)
        }
    }

    private void dispatch(ApprovalEvent event) {
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            failed(null, null, lost + " approval notification(s) dropped: notifications.queue_size reached");
        }
        track(event);
        String environment = event.approval().resource() == null
                ? null
                : event.approval().resource().path("environment").asString(null);
        ApprovalNotice notice =
                ApprovalNotice.of(event, redactor, links.apply(event.approval().id()));
        for (NotificationSettings.Sink sink : settings.sinks()) {
            if (!sink.routes(event.type(), environment)) {
                continue;
            }
            if (!inFlight.tryAcquire()) {
                failed(sink, notice, "dropped: notifications.queue_size deliveries already in flight");
                continue;
            }
            try {
                deliver(sink, notice).whenComplete((status, error) -> {
                    inFlight.release();
                    if (error != null) {
                        failed(
                                sink,
                                notice,
                                "failed after " + settings.maxAttempts() + " attempt(s): "
                                        + error.getClass().getSimpleName());
                    } else if (status < 200 || status > 299) {
                        failed(
                                sink,
                                notice,
                                "failed after " + settings.maxAttempts() + " attempt(s) or a final" + " answer: HTTP "
                                        + status);
                    } else {
                        log.debug("notified {} of {} {}", sink.name(), notice.event(), notice.approvalId());
                    }
                });
            } catch (RuntimeException e) {
                inFlight.release();
                failed(sink, notice, "failed: " + e.getClass().getSimpleName());
            }
        }
    }

    private void track(ApprovalEvent event) {
        String id = event.approval().id();
        switch (event.type()) {
            case REQUESTED -> {
                if (watched.size() < settings.queueSize() * 10) {
                    watched.put(id, event.approval().expiresAt());
                }
            }
            case DENIED, USED, EXPIRED -> watched.remove(id);
            default -> {
                // still open: it may yet expire
            }
        }
    }

    private void checkExpiries() {
        Instant now = clock.instant();
        for (Map.Entry<String, Instant> e : watched.entrySet()) {
            if (!now.isBefore(e.getValue())) {
                try {
                    if (!approvals.announceExpired(e.getKey())) {
                        watched.remove(e.getKey()); // used or denied elsewhere
                    }
                } catch (RuntimeException x) {
                    log.warn("cannot check approval {} for expiry: {}", e.getKey(), x.getMessage());
                }
            }
        }
    }

    /** One delivery under the retry policy; completes with the last HTTP status. */
    private CompletionStage<Integer> deliver(NotificationSettings.Sink sink, ApprovalNotice notice) {
        String deliveryId = UUID.randomUUID().toString();
        byte[] body = json.writeValueAsBytes(Payloads.body(sink.format(), notice, deliveryId));
        RetryConfig config = RetryConfig.<Integer>custom()
                .maxAttempts(settings.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
                        settings.initialBackoff(), 2.0, 0.2, settings.maxBackoff()))
                .retryOnResult(Notifier::retryable)
                .retryOnException(e -> true)
                .build();
        Retry retry = Retry.of(sink.name(), config);
        return retry.executeCompletionStage(scheduler, () -> attempt(sink, notice, deliveryId, body));
    }

    private CompletionStage<Integer> attempt(
            NotificationSettings.Sink sink, ApprovalNotice notice, String deliveryId, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(sink.url())
                .timeout(settings.timeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "ops-mcp-notifications")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (sink.format() == NotificationSettings.Format.WEBHOOK) {
            request.header(WebhookSignature.DELIVERY_HEADER, deliveryId)
                    .header(WebhookSignature.EVENT_HEADER, notice.event());
            if (sink.secret().isPresent()) {
                long timestamp = clock.instant().getEpochSecond();
                request.header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                        .header(
                                WebhookSignature.SIGNATURE_HEADER,
                                WebhookSignature.sign(sink.secret().get(), timestamp, body));
            }
        }
        CompletableFuture<HttpResponse<Void>> sent;
        try {
            sent = http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return sent.thenApply(HttpResponse::statusCode);
    }

    /** Retried: 408, 429 and 5xx; anything else is the receiver's final answer. */
    static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    private void failed(NotificationSettings.Sink sink, ApprovalNotice notice, String what) {
        String text = sink == null ? what : "notification " + notice.event() + " to sink " + sink.name() + " " + what;
        log.warn("{}{}", text, notice == null ? "" : " (approval " + notice.approvalId() + ")");
        try {
            AuditEvent.Builder record = AuditEvent.builder(clock.instant(), AUDIT_PRINCIPAL, AuditEvent.Phase.FAILED)
                    .auth("system")
                    .error(text);
            if (notice != null) {
                record.tool(notice.tool(), null).approval(notice.approvalId(), java.util.List.of());
            }
            audit.append(record.build(), false);
        } catch (RuntimeException e) {
            log.warn("cannot audit a failed notification: {}", e.getMessage());
        }
    }

    /** Stops the worker and the retries; queued events and pending retries are abandoned. */
    @Override
    public void close() {
        worker.shutdownNow();
        scheduler.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
