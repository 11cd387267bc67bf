package io.opsmcp.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.internal.SemaphoreBulkhead;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.guard.gateway.CallAdmission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The {@code rate_limits:} rules as the gateway's {@link CallAdmission}: per principal and rule, a resilience4j
 * rate limiter ({@code calls} per {@code per}, fixed windows of length {@code per}) and a resilience4j bulkhead
 * ({@code concurrent} calls running).
 *
 * <p><b>Every matching rule applies</b>, not only the first: a call must pass all of them (a generous rule for
 * {@code *} and a tight one for {@code ecs_*} both hold for {@code ecs_service_update}). Concurrency slots are taken
 * first and given back when a later rule refuses; a rate permit, once taken, stays spent (the call was attempted).
 * Buckets are per (rule, principal id): one principal's burst never refuses another principal.
 *
 * <p><b>Memory is bounded</b>: per rule, rate buckets live in a Caffeine cache of at most {@code maxPrincipals}
 * entries that expire two periods after their last use (a bucket unused for a whole period is full again, so
 * forgetting it changes nothing). An attacker holding more identities than that can only push the least used
 * buckets out (those principals start over with a full bucket); memory stays flat. Concurrency slots are kept only
 * while calls run, so that map is bounded by the calls in flight.
 *
 * <p><b>Refusals do not flood the audit log</b>: per (rule, principal), the first refusal in each period ({@code per},
 * or {@value #CONCURRENCY_AUDIT_SECONDS} s for a rule with only {@code concurrent}) is recorded; the ones after it
 * only counted, and the next recorded refusal names how many were not recorded one by one. So a principal hammering
 * a 30-per-minute rule writes at most 31 records a minute, whatever its request rate. A count still open when the
 * principal goes quiet is written to the server log (warn) when its bucket expires.
 */
public final class PrincipalLimits implements CallAdmission {

    private static final Logger log = LoggerFactory.getLogger(PrincipalLimits.class);

    /** Default bound on the principals tracked per rule. */
    public static final int MAX_PRINCIPALS = 10_000;
    /** Audit period of the refusals of a rule without a rate limit, in seconds. */
    static final int CONCURRENCY_AUDIT_SECONDS = 10;

    private final List<RuleState> rules;

    /**
     * @param rules         the rules, in configuration order
     * @param nanoTime      the monotonic clock of the rate limiters and of the buckets' expiry, in nanoseconds
     *                      ({@code System::nanoTime}; tests pass their own)
     * @param maxPrincipals most principals tracked per rule
     */
    public PrincipalLimits(List<RateLimitRule> rules, LongSupplier nanoTime, int maxPrincipals) {
        if (maxPrincipals < 1) {
            throw new IllegalArgumentException("maxPrincipals: must be at least 1");
        }
        this.rules = rules.stream()
                .map(r -> new RuleState(r, nanoTime, maxPrincipals))
                .toList();
    }

    /**
     * The admission of {@code rate_limits:} in the configuration tree: {@link CallAdmission#UNLIMITED} when there
     * are no rules (the default: no limits).
     *
     * @throws io.opsmcp.core.config.InvalidConfigException naming the rule and field that is wrong
     */
    public static CallAdmission fromConfig(JsonNode root) {
        List<RateLimitRule> rules = RateLimitRule.fromConfig(root);
        return rules.isEmpty() ? CallAdmission.UNLIMITED : new PrincipalLimits(rules, System::nanoTime, MAX_PRINCIPALS);
    }

    @Override
    public Admission admit(String tool, Principal principal) {
        List<RuleState> matched = new ArrayList<>(rules.size());
        for (RuleState r : rules) {
            if (r.rule.appliesTo(tool, principal)) {
                matched.add(r);
            }
        }
        if (matched.isEmpty()) {
            return Permit.NONE;
        }
        String id = principal.id();
        List<RuleState> holding = new ArrayList<>(matched.size());
        for (RuleState r : matched) {
            if (r.rule.concurrent() > 0) {
                if (!r.enter(id)) {
                    holding.forEach(h -> h.leave(id));
                    return r.refuseConcurrency(id);
                }
                holding.add(r);
            }
        }
        for (RuleState r : matched) {
            if (r.rule.calls() > 0 && !r.bucket(id).rate.acquirePermission()) {
                holding.forEach(h -> h.leave(id));
                return r.refuseRate(id);
            }
        }
        if (holding.isEmpty()) {
            return Permit.NONE;
        }
        AtomicBoolean closed = new AtomicBoolean();
        Permit permit = () -> {
            if (closed.compareAndSet(false, true)) {
                holding.forEach(h -> h.leave(id));
            }
        };
        return permit;
    }

    /** Principals with a rate bucket under the rule at {@code index} (for tests of the memory bound). */
    long trackedPrincipals(int index) {
        RuleState r = rules.get(index);
        r.buckets.cleanUp();
        return r.buckets.estimatedSize();
    }

    /** Principals with calls running under the rule at {@code index}. */
    int runningPrincipals(int index) {
        return rules.get(index).running.size();
    }

    /** One principal's state under one rule: its rate limiter and the refusals not yet recorded. */
    private static final class Bucket {
        /** {@code null} for a rule with only {@code concurrent}. */
        final AtomicRateLimiter rate;
        /** When the last recorded refusal happened (nanoTime), or {@link Long#MIN_VALUE}. */
        final AtomicLong lastRecorded = new AtomicLong(Long.MIN_VALUE);

        final AtomicLong unrecorded = new AtomicLong();

        Bucket(AtomicRateLimiter rate) {
            this.rate = rate;
        }
    }

    private static final class RuleState {
        final RateLimitRule rule;
        final LongSupplier nanoTime;
        final long auditPeriodNanos;
        final RateLimiterConfig rateConfig;
        final BulkheadConfig bulkheadConfig;
        final Cache<String, Bucket> buckets;
        /** Slots of principals with calls running; an entry goes when its last call ends. */
        final ConcurrentHashMap<String, Bulkhead> running = new ConcurrentHashMap<>();

        RuleState(RateLimitRule rule, LongSupplier nanoTime, int maxPrincipals) {
            this.rule = rule;
            this.nanoTime = nanoTime;
            Duration auditPeriod = rule.per() != null ? rule.per() : Duration.ofSeconds(CONCURRENCY_AUDIT_SECONDS);
            this.auditPeriodNanos = auditPeriod.toNanos();
            this.rateConfig = rule.calls() == 0
                    ? null
                    : RateLimiterConfig.custom()
                            .limitForPeriod(rule.calls())
                            .limitRefreshPeriod(rule.per())
                            // never wait for a permit: a call over the limit is refused at once
                            .timeoutDuration(Duration.ZERO)
                            .build();
            this.bulkheadConfig = rule.concurrent() == 0
                    ? null
                    : BulkheadConfig.custom()
                            .maxConcurrentCalls(rule.concurrent())
                            .maxWaitDuration(Duration.ZERO)
                            .build();
            this.buckets = Caffeine.newBuilder()
                    .maximumSize(maxPrincipals)
                    // A bucket unused for a whole period is full again, so forgetting it changes no limit; it is
                    // kept for a second period so that a count of unrecorded refusals reaches the next record.
                    .expireAfterAccess(auditPeriod.toNanos() * 2, TimeUnit.NANOSECONDS)
                    .ticker(nanoTime::getAsLong)
                    // maintenance and the removal listener on the calling thread: no pool, deterministic in tests
                    .executor(Runnable::run)
                    .removalListener((String id, Bucket b, RemovalCause cause) -> {
                        long n = b == null ? 0 : b.unrecorded.get();
                        if (n > 0) {
                            log.warn(
                                    "{} refusal(s) of principal {} under {} were not recorded one by one in the"
                                            + " audit log",
                                    n,
                                    id,
                                    rule.name());
                        }
                    })
                    .build();
        }

        Bucket bucket(String id) {
            return buckets.get(
                    id,
                    k -> new Bucket(
                            rateConfig == null
                                    ? null
                                    : new AtomicRateLimiter(rule.name(), rateConfig, Map.of(), nanoTime::getAsLong)));
        }

        /** Takes a concurrency slot for {@code id}; the map entry is created and removed under its key's lock. */
        boolean enter(String id) {
            boolean[] entered = {false};
            running.compute(id, (k, existing) -> {
                Bulkhead slots = existing != null ? existing : new SemaphoreBulkhead(rule.name(), bulkheadConfig);
                entered[0] = slots.tryAcquirePermission();
                return entered[0] || existing != null ? slots : null;
            });
            return entered[0];
        }

        void leave(String id) {
            running.computeIfPresent(id, (k, slots) -> {
                slots.onComplete();
                return slots.getMetrics().getAvailableConcurrentCalls() >= rule.concurrent() ? null : slots;
            });
        }

        Refused refuseRate(String id) {
            Bucket b = bucket(id);
            long nanos = Math.max(0, b.rate.getDetailedMetrics().getNanosToWait());
            long seconds = Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
            String message = "Rate limit: principal " + id + " may call " + rule.toolsText() + " at most "
                    + rule.calls() + " time" + (rule.calls() == 1 ? "" : "s") + " per " + rule.perText() + " (rule "
                    + rule.name() + "); retry in " + seconds + " s.";
            return refused(b, Limit.RATE, message, Duration.ofSeconds(seconds));
        }

        Refused refuseConcurrency(String id) {
            String message = "Concurrency limit: principal " + id + " may run at most " + rule.concurrent() + " call"
                    + (rule.concurrent() == 1 ? "" : "s") + " of " + rule.toolsText() + " at a time (rule "
                    + rule.name() + "); retry when " + (rule.concurrent() == 1 ? "it has" : "one of them has")
                    + " finished.";
            return refused(bucket(id), Limit.CONCURRENCY, message, null);
        }

        /** The first refusal in each audit period is recorded; the others are counted for the next record. */
        private Refused refused(Bucket b, Limit limit, String message, Duration retryAfter) {
            long now = nanoTime.getAsLong();
            while (true) {
                long last = b.lastRecorded.get();
                if (last != Long.MIN_VALUE && now - last < auditPeriodNanos) {
                    b.unrecorded.incrementAndGet();
                    return new Refused(limit, rule.name(), message, retryAfter, false, 0);
                }
                if (b.lastRecorded.compareAndSet(last, now)) {
                    return new Refused(limit, rule.name(), message, retryAfter, true, b.unrecorded.getAndSet(0));
                }
            }
        }
    }
}
