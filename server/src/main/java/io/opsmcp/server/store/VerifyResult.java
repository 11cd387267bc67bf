package io.opsmcp.server.store;

/**
 * Outcome of {@link AuditStore#verify()}.
 *
 * @param ok        whether the whole chain checked out
 * @param count     records checked and found intact (all of them when {@code ok})
 * @param brokenSeq the first seq whose record was edited, deleted or reordered, or {@code null} when ok
 * @param problem   what is wrong at {@code brokenSeq}, or {@code null} when ok
 */
public record VerifyResult(boolean ok, long count, Long brokenSeq, String problem) {

    static VerifyResult intact(long count) {
        return new VerifyResult(true, count, null, null);
    }

    static VerifyResult broken(long count, long seq, String problem) {
        return new VerifyResult(false, count, seq, problem);
    }

    /** One line for people: {@code audit chain intact: 12 records} or {@code audit chain broken at seq 5: …}. */
    public String message() {
        return ok ? "audit chain intact: " + count + " record" + (count == 1 ? "" : "s")
                : "audit chain broken at seq " + brokenSeq + ": " + problem + " (" + count
                        + " record" + (count == 1 ? "" : "s") + " before it intact)";
    }
}
