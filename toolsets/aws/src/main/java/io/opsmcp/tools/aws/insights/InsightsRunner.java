package io.opsmcp.tools.aws.insights;

import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.tools.aws.client.AwsAction;
import io.opsmcp.tools.aws.client.AwsTarget;
import io.opsmcp.tools.aws.common.Text;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.QueryStatistics;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResultField;
import software.amazon.awssdk.services.cloudwatchlogs.model.StartQueryResponse;

/**
 * Runs one CloudWatch Logs Insights query (StartQuery, then GetQueryResults until {@code Complete}) over a time
 * range, with a bounded wait, progress notifications and StopQuery when the call is cancelled or the wait ends.
 *
 * <p>Logs Insights returns at most {@value #SERVICE_ROW_LIMIT} rows per query (StartQuery {@code limit}, API
 * reference); a query that returns that many may have lost rows. Such a range is bisected (by whole seconds, the
 * API's time unit) and each half queried again, recursively, until every slice returns fewer rows; the slices' rows
 * are concatenated in time order (newest slice first for {@code sort @timestamp desc}). Only a query whose rows do
 * not depend on the whole range can be split: one with {@code stats}, {@code limit} or {@code dedup}, or sorted by
 * another field than {@code @timestamp}, is run once and its result marked incomplete when it hits the limit.
 * Bounded: at most {@value #MAX_QUERIES} queries, {@code limit} rows and {@value #MAX_RESULT_CHARS} characters of
 * cell values are kept (each cell redacted and cut to {@value #MAX_CELL} characters).
 */
final class InsightsRunner {

    static final int SERVICE_ROW_LIMIT = 10_000;
    static final int MAX_QUERIES = 64;
    static final int MAX_CELL = 2_000;
    static final int MAX_FIELDS = 100;
    static final long MAX_RESULT_CHARS = 2_000_000;
    static final long FIRST_POLL_MILLIS = 200;
    static final long MAX_POLL_MILLIS = 2_000;
    private static final Duration DEADLINE_MARGIN = Duration.ofSeconds(3);

    private InsightsRunner() {}

    /** A query: log group names, Logs Insights query text, the range (whole seconds, both ends included). */
    record Request(List<String> logGroups, String query, Instant start, Instant end, int limit, Duration maxWait) {}

    /** Whether and how a query's rows can be merged across time slices. */
    record Shape(boolean splittable, boolean newestFirst, String reason) {

        /** Reads the commands of a query (separated by {@code |}) for the ones that make a split unsound. */
        static Shape of(String query) {
            boolean newest = false;
            for (String command : query.split("\\|")) {
                String c = command.strip();
                String word = c.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
                switch (word) {
                    case "stats" -> {
                        return new Shape(false, false, "it aggregates (stats)");
                    }
                    case "limit", "dedup" -> {
                        return new Shape(false, false, "it has a " + word + " command");
                    }
                    case "sort" -> {
                        String rest = c.substring(4).strip();
                        if (!rest.startsWith("@timestamp")) {
                            return new Shape(false, false, "it sorts by another field than @timestamp");
                        }
                        newest = rest.toLowerCase(Locale.ROOT).contains("desc");
                    }
                    default -> {
                        // fields, filter, parse, display, unmask, pattern-free commands: rows are per event
                    }
                }
            }
            return new Shape(true, newest, null);
        }
    }

    /** What a run returns. */
    record Outcome(
            List<String> fields,
            List<Map<String, String>> rows,
            int queries,
            int slices,
            int slicesSplit,
            boolean complete,
            String stopReason,
            List<String> notes,
            double recordsMatched,
            double recordsScanned,
            double bytesScanned) {}

    /** One slice's answer. */
    private record Slice(List<Map<String, String>> rows, boolean complete, QueryStatistics stats) {}

    static Outcome run(AwsTarget t, Request q, ToolContext ctx) {
        Shape shape = Shape.of(q.query());
        Instant waitEnd = Instant.now().plus(q.maxWait());
        Instant deadline = ctx.deadline().minus(DEADLINE_MARGIN);
        Instant stopAt = waitEnd.isBefore(deadline) ? waitEnd : deadline;
        Deque<long[]> pending = new ArrayDeque<>();
        pending.push(new long[] {q.start().getEpochSecond(), q.end().getEpochSecond()});
        Set<String> fields = new LinkedHashSet<>();
        List<Map<String, String>> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        long chars = 0;
        int queries = 0;
        int slices = 0;
        int split = 0;
        boolean complete = true;
        String stopReason = "query complete";
        double matched = 0;
        double scanned = 0;
        double bytes = 0;
        int[] progress = {0};
        while (!pending.isEmpty()) {
            if (queries >= MAX_QUERIES) {
                complete = false;
                stopReason = "query budget (" + MAX_QUERIES + " queries) reached; narrow the range or the filter";
                break;
            }
            long[] range = pending.pop();
            queries++;
            Slice s = runOne(t, q, range, queries, stopAt, ctx, progress);
            if (s.stats() != null) {
                scanned += nz(s.stats().recordsScanned());
                bytes += nz(s.stats().bytesScanned());
            }
            if (!s.complete()) {
                complete = false;
                stopReason = "wait (" + io.opsmcp.toolkit.Durations.format(q.maxWait())
                        + " or the call's deadline) reached: the query was stopped; rows so far are partial";
            } else if (s.rows().size() >= SERVICE_ROW_LIMIT) {
                if (shape.splittable() && range[1] > range[0] && rows.size() < q.limit()) {
                    long mid = range[0] + (range[1] - range[0]) / 2;
                    long[] older = {range[0], mid};
                    long[] newer = {mid + 1, range[1]};
                    // the stack pops the slice pushed last: the one whose rows come first
                    pending.push(shape.newestFirst() ? older : newer);
                    pending.push(shape.newestFirst() ? newer : older);
                    split++;
                    continue;
                }
                complete = false;
                notes.add("a query over " + Instant.ofEpochSecond(range[0]) + " .. " + Instant.ofEpochSecond(range[1])
                        + " returned Logs Insights' " + SERVICE_ROW_LIMIT + "-row limit and was not split: "
                        + (shape.splittable() ? "the range is one second" : shape.reason())
                        + "; rows may be missing");
                stopReason = "row limit of Logs Insights reached";
            }
            if (s.stats() != null) {
                matched += nz(s.stats().recordsMatched());
            }
            slices++;
            boolean cut = false;
            for (Map<String, String> row : s.rows()) {
                if (rows.size() >= q.limit() || chars >= MAX_RESULT_CHARS) {
                    cut = true;
                    break;
                }
                for (String f : row.keySet()) {
                    if (fields.size() < MAX_FIELDS) {
                        fields.add(f);
                    }
                }
                chars += row.values().stream().mapToLong(String::length).sum();
                rows.add(row);
            }
            if (!s.complete()) {
                break;
            }
            boolean more = cut || !pending.isEmpty();
            if (more && chars >= MAX_RESULT_CHARS) {
                complete = false;
                stopReason = "result size cap (" + MAX_RESULT_CHARS + " characters) reached; ask for fewer fields";
                break;
            }
            if (more && rows.size() >= q.limit()) {
                complete = false;
                stopReason = "limit (" + q.limit() + " rows) reached; raise limit or narrow the range";
                break;
            }
        }
        if (split > 0) {
            notes.add(
                    0,
                    "the range returned Logs Insights' " + SERVICE_ROW_LIMIT + "-row limit, so it was split in time: "
                            + split + " split(s), " + slices + " slice(s) merged in "
                            + (shape.newestFirst() ? "newest-first" : "oldest-first") + " order over " + queries
                            + " queries");
        }
        return new Outcome(
                List.copyOf(fields),
                rows,
                queries,
                slices,
                split,
                complete,
                stopReason,
                notes,
                matched,
                scanned,
                bytes);
    }

    private static double nz(Double d) {
        return d == null ? 0 : d;
    }

    /** Runs the query over one slice: start, poll with backoff until complete, the wait ends or the call is cancelled. */
    private static Slice runOne(
            AwsTarget t, Request q, long[] range, int n, Instant stopAt, ToolContext ctx, int[] progress) {
        String subject = "log group(s) " + String.join(", ", q.logGroups());
        if (ctx.cancellation().cancelled()) {
            throw new Cancelled("the Logs Insights query on " + subject + " was cancelled before it started");
        }
        // not aborted by a cancellation: an aborted answer would leave a running query without its id to stop it
        StartQueryResponse started = t.uncancellable(
                AwsAction.LOGS_START_QUERY,
                subject,
                () -> t.logs()
                        .startQuery(b -> b.logGroupNames(q.logGroups())
                                .queryString(q.query())
                                .startTime(range[0])
                                .endTime(range[1])
                                .limit(SERVICE_ROW_LIMIT)));
        String id = started.queryId();
        CountDownLatch cancelled = new CountDownLatch(1);
        String window = Instant.ofEpochSecond(range[0]) + " .. " + Instant.ofEpochSecond(range[1]);
        try (AutoCloseable ignored = ctx.cancellation().onCancel(cancelled::countDown)) {
            long delay = FIRST_POLL_MILLIS;
            while (true) {
                if (ctx.cancellation().cancelled()) {
                    throw cancelled(t, id, subject);
                }
                GetQueryResultsResponse r = t.call(
                        AwsAction.LOGS_GET_QUERY_RESULTS,
                        subject,
                        () -> t.logs().getQueryResults(b -> b.queryId(id)));
                String status = r.statusAsString();
                QueryStatistics stats = r.statistics();
                ctx.progress()
                        .report(
                                ++progress[0],
                                null,
                                "query " + n + " (" + window + "): " + status
                                        + (stats == null
                                                ? ""
                                                : ", " + (long) nz(stats.recordsMatched()) + " records matched of "
                                                        + (long) nz(stats.recordsScanned()) + " scanned"));
                switch (status == null ? "Unknown" : status) {
                    case "Complete" -> {
                        return new Slice(rows(r), true, stats);
                    }
                    case "Scheduled", "Running" -> {
                        // polled again below
                    }
                    default ->
                        throw new ToolException(
                                Kind.UNAVAILABLE,
                                "the Logs Insights query on " + subject + " in " + t.where() + " ended " + status
                                        + " (query id " + id + ")"
                                        + ("Timeout".equals(status) ? "; narrow the range or the filter" : ""));
                }
                if (Instant.now().plusMillis(delay).isAfter(stopAt)) {
                    stop(t, id, subject);
                    return new Slice(rows(r), false, stats);
                }
                if (cancelled.await(delay, TimeUnit.MILLISECONDS)) {
                    throw cancelled(t, id, subject);
                }
                delay = Math.min(MAX_POLL_MILLIS, delay * 2);
            }
        } catch (InterruptedException e) {
            // the gateway interrupts the tool's thread when the call is cancelled
            ToolException c = cancelled(t, id, subject);
            Thread.currentThread().interrupt();
            throw c;
        } catch (Cancelled e) {
            throw e;
        } catch (ToolException e) {
            if (ctx.cancellation().cancelled()) {
                // a poll aborted by the cancellation: the query still runs on AWS until stopped
                throw cancelled(t, id, subject);
            }
            // a poll that failed (or a query that ended Failed): do not leave it running
            stop(t, id, subject);
            throw e;
        } catch (RuntimeException e) {
            stop(t, id, subject);
            throw e;
        } catch (Exception e) {
            // only closing the cancellation registration throws a checked exception
            throw new IllegalStateException(e);
        }
    }

    /** The call was cancelled and the query stopped (as the gateway reports a cancellation: TIMEOUT). */
    private static final class Cancelled extends ToolException {
        Cancelled(String message) {
            super(Kind.TIMEOUT, message);
        }
    }

    private static ToolException cancelled(AwsTarget t, String id, String subject) {
        stop(t, id, subject);
        return new Cancelled("the Logs Insights query on " + subject + " was cancelled; StopQuery sent for " + id);
    }

    /** StopQuery, sent even though the call is cancelled; a query that already ended refuses it, which is fine. */
    private static void stop(AwsTarget t, String id, String subject) {
        try {
            t.uncancellable(AwsAction.LOGS_STOP_QUERY, subject, () -> t.logs().stopQuery(b -> b.queryId(id)));
        } catch (ToolException e) {
            // the query ended meanwhile (InvalidParameterException) or AWS is unreachable: nothing more to do
        }
    }

    /** A page of results as rows (field → value, {@code @ptr} left out), each value redacted and cut. */
    private static List<Map<String, String>> rows(GetQueryResultsResponse r) {
        List<Map<String, String>> out = new ArrayList<>(r.results().size());
        for (List<ResultField> fields : r.results()) {
            Map<String, String> row = new LinkedHashMap<>();
            for (ResultField f : fields) {
                if (f.field() != null && !"@ptr".equals(f.field()) && row.size() < MAX_FIELDS) {
                    row.put(f.field(), f.value() == null ? "" : Text.cut(f.value(), MAX_CELL));
                }
            }
            out.add(row);
        }
        return out;
    }
}
