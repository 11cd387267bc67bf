package io.opsmcp.bench;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Process CPU time per operation of the {@link GuardPathBenchmark} and {@link RedactionBenchmark} operations: the
 * figure the issue-16 goal is stated in (server CPU per call), and one that stays meaningful on a shared machine
 * where JMH's wall-clock averages swing with the other processes' load. Counts every thread of the process (the
 * tool-call thread, H2, the JIT and GC), so it is an upper bound of the operation's own cost.
 *
 * <p>{@code java -cp … io.opsmcp.bench.CpuPerOp [warmup-ops] [measured-ops] [name-parts] [threads]} (defaults 20000,
 * 20000, every operation, 1; name parts separated by commas;
 * an operation's exact name selects only it). With several threads each runs the operation {@code ops / threads} times at once, as
 * concurrent HTTP calls do (the audit append's group commit only shows there).
 */
public final class CpuPerOp {

    private CpuPerOp() {}

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        GuardPathBenchmark guard = new GuardPathBenchmark();
        guard.setUp();
        try {
            Map<String, Supplier<Object>> ops = new java.util.LinkedHashMap<>();
            ops.put("guardCheck", guard::guardCheck);
            ops.put("auditAppend", guard::auditAppend);
            ops.put("auditAppendForced", guard::auditAppendForced);
            ops.put("redactResult", guard::redactResult);
            ops.put("gatewayCall", guard::gatewayCall);
            for (String input : new String[] {"clean_log", "clean_table", "clean_json", "secrets", "words"}) {
                RedactionBenchmark r = new RedactionBenchmark();
                r.size = 1024;
                r.input = input;
                r.setUp();
                ops.put("redact 1 KB " + input, r::redact);
            }
            String[] only = (args.length > 2 ? args[2] : "").split(",");
            int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
            for (Map.Entry<String, Supplier<Object>> op : ops.entrySet()) {
                // an operation's exact name selects it alone (auditAppend, not auditAppendForced); else a part
                if (java.util.Arrays.stream(only)
                        .noneMatch(p -> op.getKey().equals(p)
                                || (!ops.containsKey(p) && op.getKey().contains(p)))) {
                    continue;
                }
                run(op.getKey(), op.getValue(), warmup, measured, threads);
            }
        } finally {
            guard.tearDown();
        }
    }

    private static void run(String name, Supplier<Object> op, int warmup, int measured, int threads)
            throws InterruptedException {
        inThreads(op, warmup, threads);
        long cpu0 = cpu();
        long threads0 = threadsCpu();
        long wall0 = System.nanoTime();
        Object sink = inThreads(op, measured, threads);
        long cpu = cpu() - cpu0;
        long threadsCpu = threadsCpu() - threads0;
        long wall = System.nanoTime() - wall0;
        System.out.printf(
                "%-24s %9.2f µs CPU/op (process) %9.2f µs CPU/op (Java threads) %9.2f µs wall/op  (%d ops, %d"
                        + " threads%s)%n",
                name,
                cpu / 1e3 / measured,
                threadsCpu / 1e3 / measured,
                wall / 1e3 / measured,
                measured,
                threads,
                sink == null ? ", null" : "");
    }

    /** Runs {@code op} {@code ops} times in all, spread over {@code threads} threads; returns a result. */
    private static Object inThreads(Supplier<Object> op, int ops, int threads) throws InterruptedException {
        if (threads <= 1) {
            Object sink = null;
            for (int i = 0; i < ops; i++) {
                sink = op.get();
            }
            return sink;
        }
        Object[] sinks = new Object[threads];
        Thread[] running = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int slot = t;
            running[t] = new Thread(() -> {
                for (int i = 0; i < ops / threads; i++) {
                    sinks[slot] = op.get();
                }
            });
            running[t].start();
        }
        for (Thread t : running) {
            t.join();
        }
        return sinks[0];
    }

    /**
     * CPU time of the live Java threads (the caller, the tool-call threads, H2's writer), without the JIT compiler
     * and GC threads, whose share on a loaded machine swings from run to run.
     */
    private static long threadsCpu() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : mx.getAllThreadIds()) {
            long t = mx.getThreadCpuTime(id);
            if (t > 0) {
                sum += t;
            }
        }
        return sum;
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
