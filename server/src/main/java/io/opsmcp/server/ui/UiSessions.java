package io.opsmcp.server.ui;

import io.opsmcp.core.tool.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The approval page's server-side sessions, in memory (a restart signs everyone out). A session id is 256 random
 * bits, sent only in the cookie and kept here only as its SHA-256 (a heap dump does not hand out sessions). Each
 * session has its own CSRF token (OWASP synchronizer token pattern) and a fixed expiry. Signing in always creates a
 * new session and drops the one the browser came with, so an id planted before sign-in is worthless (session
 * fixation). Before sign-in a browser holds a pre-session: a CSRF token for the sign-in form and, during an OIDC
 * sign-in, its state and PKCE verifier.
 */
final class UiSessions {

    /** At most this many sessions (signed in or not); the oldest are dropped first when full. */
    static final int MAX_SESSIONS = 10_000;

    /**
     * One browser's session.
     *
     * @param principal the signed-in approver, or {@code null} before sign-in
     * @param csrf      the token every form must carry back
     * @param expiresAt when it ends
     * @param login     an OIDC sign-in in progress, or {@code null}
     */
    record Session(Principal principal, String csrf, Instant expiresAt, PendingLogin login) {}

    /**
     * An authorization request in flight (OIDC Core §3.1.2.1, RFC 7636).
     *
     * @param state    the {@code state} sent, compared on return
     * @param verifier the PKCE code verifier
     */
    record PendingLogin(String state, String verifier) {}

    private static final Duration PRE_SESSION_TTL = Duration.ofMinutes(15);

    private final Map<String, Session> byHash = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Duration ttl;

    UiSessions(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    /** The live session of this cookie value; expired ones are removed. */
    Optional<Session> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return Optional.empty();
        }
        String key = hash(id);
        Session s = byHash.get(key);
        if (s == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(s.expiresAt())) {
            byHash.remove(key);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /** A new pre-session (no principal); returns its id. */
    String startAnonymous(PendingLogin login) {
        return put(new Session(null, token(), clock.instant().plus(PRE_SESSION_TTL), login));
    }

    /** Signs in: drops {@code previous} (if any) and returns the id of a new session for {@code principal}. */
    String signIn(String previous, Principal principal) {
        end(previous);
        return put(new Session(principal, token(), clock.instant().plus(ttl), null));
    }

    /** Ends the session of this cookie value, if any. */
    void end(String id) {
        if (id != null && !id.isEmpty() && id.length() <= 100) {
            byHash.remove(hash(id));
        }
    }

    /** Whether {@code presented} is the session's CSRF token (constant time). */
    static boolean csrfMatches(Session session, String presented) {
        return presented != null
                && MessageDigest.isEqual(
                        session.csrf().getBytes(StandardCharsets.US_ASCII),
                        presented.getBytes(StandardCharsets.US_ASCII));
    }

    /** 256 random bits, base64url without padding. */
    String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private String put(Session session) {
        if (byHash.size() >= MAX_SESSIONS) {
            Instant now = clock.instant();
            byHash.values().removeIf(s -> !now.isBefore(s.expiresAt()));
            if (byHash.size() >= MAX_SESSIONS) {
                // still full of live sessions: drop the pre-sessions first, then the ones that end soonest
                byHash.values().removeIf(s -> s.principal() == null);
                while (byHash.size() >= MAX_SESSIONS) {
                    byHash.entrySet().stream()
                            .min(Map.Entry.comparingByValue(
                                    (a, b) -> a.expiresAt().compareTo(b.expiresAt())))
                            .ifPresent(e -> byHash.remove(e.getKey()));
                }
            }
        }
        String id = token();
        byHash.put(hash(id), session);
        return id;
    }

    private static String hash(String id) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
