package io.opsmcp.server.adversarial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.opsmcp.guard.policy.Decision;
import io.opsmcp.guard.policy.OpaPolicyEngine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 10 item 6: {@code policy.opa.timeout_ms} bounds the whole exchange with OPA (connect, headers and every
 * byte of the body), not just the wait for the headers. A hostile OPA answers the headers at once and then
 * trickles an allow a byte every 150 ms, stalls, or floods; each must deny ("policy engine unavailable" or
 * "invalid decision") within the deadline plus scheduling slack, never allow late. The same OPA answering at
 * once is allowed (so the stub itself is sound).
 */
class OpaDeadlineCoversWholeResponseTest {

    private static final byte[] ALLOW =
            "{\"result\": {\"allow\": true, \"reasons\": [\"ok\"]}}".getBytes(StandardCharsets.UTF_8);
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    /** Generous bound on a denial: the deadline plus slack for a loaded 2-core machine. */
    private static final Duration BOUND = Duration.ofSeconds(5);

    private static JsonNode input() {
        return JsonMapper.builder().build().createObjectNode().put("action", "tool.call");
    }

    /** Loads the client and JSON classes first, so the bounds below measure the exchange, not class loading. */
    @BeforeAll
    static void warmUp() throws Exception {
        new OpaDeadlineCoversWholeResponseTest().thePromptAnswerOfTheSameStubIsHonoured();
    }

    private static Decision decideWithin(String url, Duration bound) {
        return assertTimeoutPreemptively(
                bound,
                () -> {
                    try (OpaPolicyEngine engine = new OpaPolicyEngine(url, TIMEOUT)) {
                        return engine.decide(input());
                    }
                },
                "the OPA call must end within " + bound);
    }

    @Test
    void anAllowTrickledAByteAtATimeIsDenied() throws Exception {
        try (SlowOpa opa = new SlowOpa(out -> {
            out.write(SlowOpa.headers(ALLOW.length));
            out.flush();
            for (byte b : ALLOW) {
                out.write(b);
                out.flush();
                Thread.sleep(150);
            }
        })) {
            long start = System.nanoTime();
            Decision d = decideWithin(opa.url(), BOUND);
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.println("trickled allow (" + ALLOW.length + " bytes, 150 ms each) -> " + d + " after " + ms
                    + " ms (timeout " + TIMEOUT.toMillis() + " ms)");
            assertThat(d).isEqualTo(Decision.deny(Decision.UNAVAILABLE));
        }
    }

    @Test
    void aBodyThatStallsAfterTheHeadersIsDenied() throws Exception {
        try (SlowOpa opa = new SlowOpa(out -> {
            out.write(SlowOpa.headers(ALLOW.length));
            out.write(ALLOW, 0, ALLOW.length - 1);
            out.flush();
            Thread.sleep(60_000);
        })) {
            assertThat(decideWithin(opa.url(), BOUND)).isEqualTo(Decision.deny(Decision.UNAVAILABLE));
        }
    }

    @Test
    void headersThatNeverComeAreDenied() throws Exception {
        try (SlowOpa opa = new SlowOpa(out -> Thread.sleep(60_000))) {
            assertThat(decideWithin(opa.url(), BOUND)).isEqualTo(Decision.deny(Decision.UNAVAILABLE));
        }
    }

    @Test
    void anEndlessChunkedBodyIsDeniedWithoutReadingItAll() throws Exception {
        byte[] chunk = ("10000\r\n" + " ".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try (SlowOpa opa = new SlowOpa(out -> {
            out.write(SlowOpa.headers(-1));
            out.write("1\r\n{\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 100_000; i++) {
                out.write(chunk);
            }
        })) {
            Decision d = decideWithin(opa.url(), BOUND);
            assertThat(d).isIn(Decision.deny(Decision.INVALID), Decision.deny(Decision.UNAVAILABLE));
        }
    }

    @Test
    void thePromptAnswerOfTheSameStubIsHonoured() throws Exception {
        try (SlowOpa opa = new SlowOpa(out -> {
            out.write(SlowOpa.headers(ALLOW.length));
            out.write(ALLOW);
            out.flush();
        })) {
            try (OpaPolicyEngine engine = new OpaPolicyEngine(opa.url(), Duration.ofSeconds(10))) {
                assertThat(engine.decide(input())).isEqualTo(new Decision.Allow(List.of("ok")));
            }
        }
    }
}
