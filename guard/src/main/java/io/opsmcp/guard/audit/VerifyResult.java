package io.opsmcp.guard.audit;

import java.util.List;

/**
 * Outcome of {@link AuditStore#verify()}, and of {@link AuditAnchor#check} on top of it.
 *
 * @param ok        whether the whole chain checked out
 * @param count     records checked and found intact (all of them when {@code ok})
 * @param brokenSeq the first seq whose record was edited, deleted or reordered, or {@code null} when ok
 * @param problem   what is wrong at {@code brokenSeq}, or {@code null} when ok
 * @param anchors   when ok and checked against checkpoints: which files, up to which seq; else empty
 */
public record VerifyResult(boolean ok, long count, Long brokenSeq, String problem, List<String> anchors) {

    public VerifyResult {
        anchors = List.copyOf(anchors);
    }

    /** Without anchors. */
    public VerifyResult(boolean ok, long count, Long brokenSeq, String problem) {
        this(ok, count, brokenSeq, problem, List.of());
    }

    /** An intact chain of {@code count} records. */
    public static VerifyResult intact(long count) {
        return new VerifyResult(true, count, null, null);
    }

    /** A chain broken at {@code seq}, with {@code count} intact records before it. */
    public static VerifyResult broken(long count, long seq, String problem) {
        return new VerifyResult(false, count, seq, problem);
    }

    /** This intact result, noting the checkpoints that confirmed its end. */
    VerifyResult anchored(List<String> checked) {
        return new VerifyResult(ok, count, brokenSeq, problem, checked);
    }

    /** One line for people: {@code audit chain intact: 12 records} or {@code audit chain broken at seq 5: …}. */
    public String message() {
        return ok
                ? "audit chain intact: " + count + " record" + (count == 1 ? "" : "s")
                        + (anchors.isEmpty()
                                ? ""
                                : "; its end matches the signed checkpoints in " + String.join(", ", anchors))
                : "audit chain broken at seq " + brokenSeq + ": " + problem + " (" + count + " record"
                        + (count == 1 ? "" : "s") + " before it intact)";
    }
}
