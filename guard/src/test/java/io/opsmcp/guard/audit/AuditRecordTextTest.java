package io.opsmcp.guard.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The record's canonical text written straight from the event must be the canonical text of the record's tree, on
 * every event: otherwise records already in audit logs stop verifying, or new ones verify nowhere else.
 */
class AuditRecordTextTest {

    @Test
    void directTextEqualsTheCanonicalTreeOnRandomEvents() {
        Random r = new Random(20);
        for (int i = 0; i < 3000; i++) {
            AuditEvent e = randomEvent(r);
            long seq = r.nextBoolean() ? r.nextInt(1_000_000) : r.nextLong();
            String tree = CanonicalJson.canonicalize(AuditJson.record(seq, e));
            assertThat(AuditJson.canonicalRecord(seq, e)).as(tree).isEqualTo(tree);
            String prev = CanonicalJson.sha256Hex(Long.toString(seq));
            assertThat(AuditEntry.computeHash(prev, seq, e))
                    .isEqualTo(CanonicalJson.sha256Hex(prev, AuditJson.record(seq, e)));
        }
    }

    @Test
    void aTreeOnlyTheTextPathWritesFallsBackToIt() {
        ObjectNode resource = JsonNodeFactory.instance.objectNode();
        resource.put("name", "web-1");
        resource.putPOJO("pojo", List.of("a", 1));
        AuditEvent e = event(resource, JsonNodeFactory.instance.objectNode());
        assertThat(AuditJson.canonicalRecord(7, e)).isNull();
        String prev = "0".repeat(64);
        assertThat(AuditEntry.computeHash(prev, 7, e))
                .isEqualTo(CanonicalJson.sha256Hex(prev, AuditJson.record(7, e)))
                .isNotEqualTo(AuditEntry.computeHash(prev, 8, e));
    }

    @Test
    void aNonFiniteNumberIsRefusedAsTheTreePathRefusesIt() {
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        args.put("x", Double.NaN);
        AuditEvent e = event(null, args);
        assertThatThrownBy(() -> AuditJson.canonicalRecord(1, e)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditEntry.computeHash("0".repeat(64), 1, e))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static AuditEvent event(JsonNode resource, JsonNode args) {
        return AuditEvent.builder(Instant.parse("2026-12-05T18:00:00.123Z"), "alice", AuditEvent.Phase.SUCCEEDED)
                .tool("host_list", "hosts")
                .resource(resource)
                .args(args)
                .build();
    }

    private static AuditEvent randomEvent(Random r) {
        AuditEvent.Phase[] phases = AuditEvent.Phase.values();
        AuditEvent.PolicyDecision[] decisions = AuditEvent.PolicyDecision.values();
        return new AuditEvent(
                Instant.ofEpochMilli(r.nextLong() >>> 24).plusNanos(r.nextInt(1_000_000)),
                maybe(r),
                "p" + CanonicalJsonTest.randomString(r),
                maybe(r),
                maybe(r),
                maybe(r),
                r.nextInt(4) == 0 ? null : CanonicalJsonTest.randomValue(r, 0),
                r.nextInt(4) == 0 ? null : CanonicalJsonTest.randomValue(r, 0),
                r.nextBoolean() ? null : decisions[r.nextInt(decisions.length)],
                strings(r),
                maybe(r),
                strings(r),
                phases[r.nextInt(phases.length)],
                r.nextBoolean() ? r.nextInt(100_000) : r.nextLong(),
                maybe(r),
                maybe(r));
    }

    private static String maybe(Random r) {
        return r.nextInt(3) == 0 ? null : CanonicalJsonTest.randomString(r);
    }

    private static List<String> strings(Random r) {
        List<String> out = new ArrayList<>();
        for (int n = r.nextInt(4); n > 0; n--) {
            out.add(CanonicalJsonTest.randomString(r));
        }
        return out;
    }
}
