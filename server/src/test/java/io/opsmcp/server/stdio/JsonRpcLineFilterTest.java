package io.opsmcp.server.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.guard.audit.AuditStore;
import io.opsmcp.guard.policy.Decision;
import io.opsmcp.guard.policy.PolicyEngine;
import io.opsmcp.server.start.FirstCallWarmUp;
import io.opsmcp.server.start.RealCallSignal;
import io.opsmcp.toolkit.redact.Redactor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link JsonRpcLineFilter} announces a {@code tools/call} request as it reads it (so the first-call warm-up stops
 * before the call reaches the policy), only for a well-formed request, and passes every line on as before.
 */
class JsonRpcLineFilterTest {

    private static final String CALL =
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"host_list\",\"arguments\":{}}}";

    @Test
    void onlyAWellFormedToolsCallRequestIsAnnounced() throws IOException {
        List<String> notCalls = List.of(
                // a notification of the same method: no id, no answer, not a call
                "{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":{\"name\":\"host_list\"}}",
                // a response that names the method in its result
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"method\":\"tools/call\"}}",
                // other requests, one with tools/call in its parameters
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"prompts/get\",\"params\":{\"method\":\"tools/call\"}}",
                // malformed: answered here, never passed on
                "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"result\":{}}",
                "{\"jsonrpc\":\"1.0\",\"id\":5,\"method\":\"tools/call\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"tools/call\"}",
                "tools/call",
                "[" + CALL + "]");
        AtomicInteger announced = new AtomicInteger();
        List<String> replies = new ArrayList<>();
        String passed = readAll(String.join("\n", notCalls) + "\n", replies, announced::incrementAndGet);

        assertThat(announced).hasValue(0);
        assertThat(passed).isEqualTo(String.join("\n", notCalls.subList(0, 4)) + "\n");
        assertThat(replies).hasSize(5);

        passed = readAll(notCalls.get(2) + "\r\n" + CALL + "\n" + CALL, replies, announced::incrementAndGet);
        assertThat(announced).hasValue(2);
        assertThat(passed).isEqualTo(notCalls.get(2) + "\n" + CALL + "\n" + CALL + "\n");
    }

    /**
     * A {@code tools/call} read by the transport while the warm-up makes its first step (the policy decision) stops
     * it there: the audit store, its next step, is never touched, and the call's line reaches the SDK's side whole.
     */
    @Test
    void aCallArrivingDuringTheWarmUpStopsItBeforeItsNextStep() throws Exception {
        RealCallSignal calls = new RealCallSignal();
        PipedOutputStream client = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(client, 1 << 16);
        JsonRpcLineFilter filter = new JsonRpcLineFilter(stdin, reply -> {}, () -> {}, calls::begin);
        CompletableFuture<String> sdkRead = CompletableFuture.supplyAsync(() -> {
            try {
                return readLine(filter);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        AtomicInteger decisions = new AtomicInteger();
        PolicyEngine engine = new PolicyEngine() {
            @Override
            public Decision decide(JsonNode input) {
                if (decisions.incrementAndGet() == 1) { // the call arrives while the warm-up decides
                    try {
                        client.write((CALL + "\n").getBytes(StandardCharsets.UTF_8));
                        client.flush();
                        sdkRead.get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                return new Decision.Deny(List.of("warm-up"));
            }

            @Override
            public String description() {
                return "test";
            }

            @Override
            public void close() {}
        };
        List<String> auditUses = new ArrayList<>();
        AuditStore audit = (AuditStore) Proxy.newProxyInstance(
                AuditStore.class.getClassLoader(), new Class<?>[] {AuditStore.class}, (proxy, method, args) -> {
                    auditUses.add(method.getName());
                    throw new UnsupportedOperationException(method.getName());
                });
        List<String> rehearsed = new ArrayList<>();

        FirstCallWarmUp.run(
                engine,
                audit,
                event -> rehearsed.add("rehearsed"),
                new Redactor(),
                new JacksonMcpJsonMapper(JsonMapper.builder().build()),
                new Principal("local", Set.of("operator"), "local"),
                calls);

        assertThat(calls.begun()).isTrue();
        assertThat(sdkRead.get(30, TimeUnit.SECONDS)).isEqualTo(CALL + "\n");
        assertThat(auditUses).as("the warm-up's next step").isEmpty();
        assertThat(rehearsed).isEmpty();
    }

    @Test
    void peekFirstSeesTheFirstWellFormedMessageBeforeAnyReaderAndOnlyIt() throws IOException {
        List<String> replies = new ArrayList<>();
        String ping = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
        JsonRpcLineFilter filter = new JsonRpcLineFilter(
                new ByteArrayInputStream(("garbage\n\n" + ping + "\n" + CALL + "\n").getBytes(StandardCharsets.UTF_8)),
                replies::add,
                () -> {},
                () -> {});
        List<String> peeked = new ArrayList<>();

        filter.peekFirst(peeked::add);
        filter.peekFirst(peeked::add); // once only

        assertThat(peeked).containsExactly(ping);
        assertThat(replies).as("the malformed line before it answered as usual").hasSize(1);
        assertThat(new String(filter.readAllBytes(), StandardCharsets.UTF_8))
                .as("and then read by the SDK as usual")
                .isEqualTo(ping + "\n" + CALL + "\n");
    }

    @Test
    void peekFirstAfterAReaderBeganSeesNothing() throws IOException {
        String ping = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
        JsonRpcLineFilter filter = new JsonRpcLineFilter(
                new ByteArrayInputStream((ping + "\n").getBytes(StandardCharsets.UTF_8)), r -> {}, () -> {}, () -> {});
        assertThat(filter.read()).isEqualTo('{');
        List<String> peeked = new ArrayList<>();

        filter.peekFirst(peeked::add);

        assertThat(peeked).isEmpty();
    }

    private static String readAll(String input, List<String> replies, Runnable onCall) throws IOException {
        InputStream filter = new JsonRpcLineFilter(
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), replies::add, () -> {}, onCall);
        return new String(filter.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            line.append((char) b);
            if (b == '\n') {
                break;
            }
        }
        return line.toString();
    }
}
