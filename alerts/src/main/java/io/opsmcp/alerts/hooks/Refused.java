package io.opsmcp.alerts.hooks;

/**
 * A webhook request refused by its receiver: the HTTP status, a short error code and the rule broken (audited as
 * the reason; never holds the credential presented).
 */
final class Refused extends Exception {

    final int status;
    final String error;

    Refused(int status, String error, String message) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
    }

    static Refused badRequest(String message) {
        return new Refused(400, "bad_request", message);
    }

    static Refused forbidden(String message) {
        return new Refused(403, "forbidden", message);
    }
}
