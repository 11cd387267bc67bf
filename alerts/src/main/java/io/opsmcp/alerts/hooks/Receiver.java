package io.opsmcp.alerts.hooks;

import io.opsmcp.alerts.Alert;
import io.opsmcp.alerts.AlertReport;
import java.util.List;

/**
 * One sender's webhook endpoint: authenticates the request (from its headers before the body is read, or from the
 * body's signature) and parses the body into alert reports.
 */
sealed interface Receiver permits AlertmanagerReceiver, SnsReceiver, GitLabReceiver {

    Alert.Source source();

    /** The path it is served at, {@code /hooks/<source>}. */
    default String endpoint() {
        return Webhooks.PREFIX + source().wire();
    }

    /** Largest body accepted, in bytes. */
    int maxBodyBytes();

    /** Checks the credential in the headers before the body is read (a receiver authenticated by its body passes). */
    void authenticate(Headers headers) throws Refused;

    /**
     * Parses (and, for a signed body, verifies) the body.
     *
     * @throws Refused 400 for a malformed body, 403 for a bad signature or a sender not configured
     */
    Parsed parse(Headers headers, byte[] body) throws Refused;

    /**
     * What a body held.
     *
     * @param reports alerts to take in
     * @param ignored reports that change nothing (a state ops-mcp does not track)
     * @param note    something to say in the answer instead ({@code subscription confirmed}), or {@code null}
     */
    record Parsed(List<AlertReport> reports, int ignored, String note) {
        public Parsed {
            reports = List.copyOf(reports);
        }
    }
}
