package io.opsmcp.toolkit;

import io.opsmcp.core.tool.LogLevel;
import io.opsmcp.core.tool.ToolContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a paged API (AWS {@code nextToken}, GitLab {@code page}/{@code Link: rel="next"}) up to a bound, the same
 * way in every toolset: it stops at {@code maxItems}, at the last page, after {@code maxPages} pages, when a page
 * token repeats (a server that loops) and when the call is cancelled or past its deadline.
 */
public final class Paging {

    /** Default bound on the number of requests one collection may make. */
    public static final int MAX_PAGES = 1000;

    private Paging() {}

    /**
     * One page of a paged API.
     *
     * @param items the page's items
     * @param next  the token (or page number, or URL) of the next page, {@code null} on the last page
     */
    public record Page<T>(List<T> items, String next) {
        public Page {
            items = items == null ? List.of() : items;
            next = next == null || next.isEmpty() ? null : next;
        }
    }

    /**
     * What was collected.
     *
     * @param items     at most {@code maxItems} items, in the API's order
     * @param truncated more items exist (or may exist) than were read: the bound was hit or the call stopped
     * @param pages     how many requests were made
     */
    public record Collected<T>(List<T> items, boolean truncated, int pages) {}

    /** Fetches one page; {@code token} is {@code null} for the first page. */
    @FunctionalInterface
    public interface PageFetcher<T> {
        Page<T> fetch(String token);
    }

    /** {@link #collect(PageFetcher, int, int, ToolContext)} with {@link #MAX_PAGES}. */
    public static <T> Collected<T> collect(PageFetcher<T> fetcher, int maxItems, ToolContext ctx) {
        return collect(fetcher, maxItems, MAX_PAGES, ctx);
    }

    /**
     * Collects items page by page.
     *
     * @param maxItems the most items to keep (≥ 1)
     * @param maxPages the most requests to make (≥ 1)
     * @param ctx      the call, whose cancellation and deadline stop the loop; may be {@code null} in tests
     */
    public static <T> Collected<T> collect(PageFetcher<T> fetcher, int maxItems, int maxPages, ToolContext ctx) {
        if (maxItems < 1 || maxPages < 1) {
            throw new IllegalArgumentException("maxItems and maxPages must be at least 1");
        }
        List<T> items = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String token = null;
        int pages = 0;
        while (true) {
            if (ctx != null && ctx.stopRequested()) {
                ctx.log().log(
                        LogLevel.INFO,
                        "stopped reading after " + pages + " page(s): the call was cancelled"
                                + " or reached its deadline");
                return new Collected<>(items, true, pages);
            }
            Page<T> page = fetcher.fetch(token);
            pages++;
            for (T item : page.items()) {
                if (items.size() == maxItems) {
                    return new Collected<>(items, true, pages);
                }
                items.add(item);
            }
            token = page.next();
            if (token == null) {
                return new Collected<>(items, false, pages);
            }
            if (items.size() == maxItems || pages == maxPages || !seen.add(token)) {
                return new Collected<>(items, true, pages);
            }
        }
    }
}
