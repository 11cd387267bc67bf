package io.opsmcp.tools.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.tools.aws.sandbox.AwsSandbox;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * ecs_logs over a sandbox log group of 1,000,000 events (100 FilterLogEvents pages of 10,000) with limit 500:
 * the call reads every page and returns, and the live heap after each garbage collection (the JVM's GC
 * notifications, {@code GarbageCollectionNotificationInfo}) stays far below what holding the events would take
 * (each event is ~150 bytes of JSON, over 200 MB as Java objects). Surefire runs with -Xmx384m. The figures are
 * printed for the record; no timing is asserted.
 */
class LogsBoundedMemoryTest {

    static final long EVENTS = 1_000_000;
    static final long BOUND_BYTES = 160L << 20;

    @Test
    void oneMillionEventsWithLimit500StayInBoundedMemory() throws Exception {
        AtomicLong maxAfterGc = new AtomicLong();
        AtomicLong collections = new AtomicLong();
        NotificationListener listener = (notification, handback) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                GarbageCollectionNotificationInfo info =
                        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long used = 0;
                for (Map.Entry<String, MemoryUsage> e :
                        info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (!e.getKey().contains("Metaspace")
                            && !e.getKey().contains("CodeHeap")
                            && !e.getKey().contains("Compressed Class")) {
                        used += e.getValue().getUsed();
                    }
                }
                maxAfterGc.accumulateAndGet(used, Math::max);
                collections.incrementAndGet();
            }
        };
        List<NotificationEmitter> emitters = new ArrayList<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
        try (AwsSandbox sandbox = AwsSandbox.start(EVENTS);
                AwsToolset toolset =
                        Fixtures.toolset(sandbox.configure(JsonNodeFactory.instance.objectNode()), List.of())) {
            System.gc();
            long before =
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            ToolResult r = Fixtures.call(
                    toolset,
                    "ecs_logs",
                    "{\"cluster\":\"shop\",\"service\":\"search\",\"limit\":500,\"since\":\"2h\"}");
            JsonNode out = r.structuredContent();
            System.out.printf(
                    "ecs_logs over %d events: scanned %d in %d pages, complete %s, %d lines; heap used before "
                            + "%.1f MiB, max live heap after GC during the call %.1f MiB over %d collections, -Xmx %.0f MiB%n",
                    EVENTS,
                    out.get("events_scanned").asLong(),
                    out.get("pages").asInt(),
                    out.get("complete").asBoolean(),
                    out.get("lines").size(),
                    before / 1048576.0,
                    maxAfterGc.get() / 1048576.0,
                    collections.get(),
                    Runtime.getRuntime().maxMemory() / 1048576.0);
            // The sandbox spreads the events over the hour before its first FilterLogEvents call, which comes a
            // moment after the tool fixed its end time: the last few seconds of events are (rightly) outside.
            assertThat(out.get("events_scanned").asLong()).isBetween(EVENTS * 99 / 100, EVENTS);
            assertThat(out.get("complete").asBoolean()).isTrue();
            assertThat(out.get("lines")).hasSize(500);
            assertThat(out.get("summary").get("levels").get("error").asLong())
                    .isBetween(EVENTS / 10_000 - 1, EVENTS / 10_000);
            assertThat(out.get("summary").get("top_signatures").size()).isLessThanOrEqualTo(10);
            assertThat(collections.get()).isPositive();
            assertThat(maxAfterGc.get()).isLessThan(BOUND_BYTES);
        } finally {
            for (NotificationEmitter e : emitters) {
                e.removeNotificationListener(listener);
            }
        }
    }
}
