package io.opsmcp.toolkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolContext;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PagingTest {

    /** Pages of {@code size} items numbered from 0, {@code total} in all; tokens are the next page index. */
    private static Paging.PageFetcher<Integer> pages(int size, int total, AtomicInteger calls) {
        return token -> {
            calls.incrementAndGet();
            int page = token == null ? 0 : Integer.parseInt(token);
            int from = page * size;
            int to = Math.min(total, from + size);
            return new Paging.Page<>(
                    IntStream.range(from, to).boxed().toList(), to < total ? String.valueOf(page + 1) : null);
        };
    }

    @Test
    void readsEveryPageUntilTheLast() {
        AtomicInteger calls = new AtomicInteger();
        var got = Paging.collect(pages(10, 35, calls), 100, null);
        assertThat(got.items()).hasSize(35).startsWith(0, 1).endsWith(34);
        assertThat(got.truncated()).isFalse();
        assertThat(calls).hasValue(4);
    }

    @Test
    void stopsAtMaxItemsAndSaysSo() {
        AtomicInteger calls = new AtomicInteger();
        var got = Paging.collect(pages(10, 1000, calls), 25, null);
        assertThat(got.items()).hasSize(25);
        assertThat(got.truncated()).isTrue();
        assertThat(calls).hasValue(3);
        // exactly maxItems on a page boundary with more pages: truncated, and no extra request
        calls.set(0);
        var boundary = Paging.collect(pages(10, 1000, calls), 20, null);
        assertThat(boundary.truncated()).isTrue();
        assertThat(calls).hasValue(2);
    }

    @Test
    void aServerThatRepeatsItsTokenDoesNotLoopForever() {
        AtomicInteger calls = new AtomicInteger();
        var got = Paging.collect(
                token -> {
                    calls.incrementAndGet();
                    return new Paging.Page<>(List.of(1), "same");
                },
                1000,
                null);
        assertThat(got.truncated()).isTrue();
        assertThat(calls.get()).isLessThanOrEqualTo(2);
        var bounded = Paging.collect(
                token -> new Paging.Page<>(List.of(), String.valueOf(calls.incrementAndGet())), 10, 5, null);
        assertThat(bounded.pages()).isEqualTo(5);
        assertThat(bounded.truncated()).isTrue();
    }

    @Test
    void aCancelledCallStopsBeforeTheNextRequest() {
        AtomicInteger calls = new AtomicInteger();
        boolean[] cancelled = {false};
        ToolContext ctx = new ToolContext(
                new Principal("t", Set.of(), "local"),
                "r",
                Instant.now().plusSeconds(30),
                null,
                null,
                false,
                new ToolContext.Cancellation() {
                    @Override
                    public boolean cancelled() {
                        return cancelled[0];
                    }

                    @Override
                    public AutoCloseable onCancel(Runnable action) {
                        return () -> {};
                    }
                });
        var got = Paging.collect(
                token -> {
                    if (calls.incrementAndGet() == 2) {
                        cancelled[0] = true;
                    }
                    return new Paging.Page<>(List.of(calls.get()), "p" + calls.get());
                },
                100,
                ctx);
        assertThat(calls).hasValue(2);
        assertThat(got.items()).containsExactly(1, 2);
        assertThat(got.truncated()).isTrue();
    }
}
