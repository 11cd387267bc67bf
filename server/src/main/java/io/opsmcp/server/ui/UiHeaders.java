package io.opsmcp.server.ui;

import org.springframework.http.HttpHeaders;

/** The security headers of every approval-page response (see {@link ApprovalPages}). */
final class UiHeaders {

    private UiHeaders() {}

    static void apply(HttpHeaders headers) {
        headers.set("Content-Security-Policy", ApprovalPages.CSP);
        headers.set("X-Frame-Options", "DENY");
        headers.set("X-Content-Type-Options", "nosniff");
        // not no-referrer: Chrome then sends "Origin: null" with the page's own form posts, which the Origin check
        // refuses
        headers.set("Referrer-Policy", "same-origin");
        headers.set("Cache-Control", "no-store");
        headers.set("Cross-Origin-Opener-Policy", "same-origin");
    }
}
