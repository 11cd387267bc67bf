package io.opsmcp.guard.audit;

import tools.jackson.databind.node.ObjectNode;

/**
 * A stored audit record: its place in the chain and its hashes.
 *
 * @param seq      position in the chain, 1, 2, 3, … without gaps
 * @param event    the record
 * @param prevHash hash of the previous record (64 zeros for seq 1)
 * @param hash     hex SHA-256 over {@code prevHash} (as its 64 ASCII hex characters) followed by the UTF-8
 *                 RFC 8785 canonical JSON of the record including its seq (see {@link #record()})
 */
public record AuditEntry(long seq, AuditEvent event, String prevHash, String hash) {

    /** The prev_hash of the first record. */
    public static final String GENESIS_HASH = "0".repeat(64);

    /**
     * The hashed part as JSON: {@code seq, time, request_id, principal, auth, tool, toolset, resource, args,
     * decision, reasons, approval_id, approvers, phase, duration_ms, result_digest, error} (absent values are
     * {@code null}).
     */
    public ObjectNode record() {
        return AuditJson.record(seq, event);
    }

    /** {@link #record()} plus {@code prev_hash} and {@code hash}: the line written by export. */
    public ObjectNode toJson() {
        ObjectNode json = record();
        json.put("prev_hash", prevHash);
        json.put("hash", hash);
        return json;
    }

    /**
     * The hash a record with this content and predecessor must carry: SHA-256 of {@code prevHash} and the RFC 8785
     * canonical JSON of the record (see {@link CanonicalJson#sha256Hex}). Public so that tools and tests can
     * recompute the chain; it needs no secret, which is why the chain's end is anchored by {@link AuditAnchor}.
     */
    public static String computeHash(String prevHash, long seq, AuditEvent event) {
        String text = AuditJson.canonicalRecord(seq, event);
        return text != null
                ? CanonicalJson.sha256Hex(prevHash, text)
                : CanonicalJson.sha256Hex(prevHash, AuditJson.record(seq, event, false));
    }
}
