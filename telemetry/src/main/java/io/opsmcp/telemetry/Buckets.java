package io.opsmcp.telemetry;

import java.time.Duration;

/** Histogram buckets (Prometheus {@code le}) of the latency metrics. */
final class Buckets {

    /**
     * Tool calls and MCP requests: a read answered from memory in milliseconds up to a deployment that waits for the
     * tool deadline (60 s by default).
     */
    static final Duration[] LATENCY = {
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60),
        Duration.ofSeconds(120)
    };

    /** Policy evaluations and audit appends: sub-millisecond to a slow database or a remote OPA. */
    static final Duration[] FAST = {
        Duration.ofNanos(100_000),
        Duration.ofNanos(250_000),
        Duration.ofNanos(500_000),
        Duration.ofMillis(1),
        Duration.ofMillis(2),
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(5)
    };

    private Buckets() {}
}
