package io.opsmcp.guard.approval;

import io.opsmcp.core.tool.JsonSchemas;
import io.opsmcp.core.tool.Principal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one way to approvals, for the guard (requests, in-band votes, consumption), the {@code ops-mcp approvals}
 * command and the approvals HTTP API: it owns the approval rules, the {@link ApprovalStore} only persists.
 *
 * <p>Rules: a request names a tool, a requester, the SHA-256 of the arguments, at least one required approval and
 * an expiry after its creation. A vote is accepted while the approval is pending and not expired, once per voter,
 * from a voter holding one of its approver roles, and from the requester only when self-approval is allowed. It
 * becomes APPROVED when the distinct approving voters reach {@code minApprovals}, DENIED on any deny. The store
 * applies a vote atomically (the approval locked while the rules are checked), so concurrent votes are counted
 * one after the other.
 */
public final class ApprovalService {

    private static final Pattern ID = Pattern.compile("apr_[a-z2-7]{26}");
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private final ApprovalStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final List<ApprovalListener> eventListeners = new CopyOnWriteArrayList<>();

    public ApprovalService(ApprovalStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Stores a new pending request: status {@code PENDING}, no votes, a fresh id when {@code pending.id()} is
     * {@code null}, times truncated to milliseconds.
     *
     * @return the stored approval
     * @throws IllegalArgumentException naming the field when a required field is missing or out of range
     */
    public Approval create(Approval pending) {
        Approval created = changed(store.create(validated(pending)));
        announce(new ApprovalEvent(ApprovalEvent.Type.REQUESTED, created, null, created.createdAt()));
        return created;
    }

    /**
     * Tells {@code listener} of every lifecycle step made through this service (requested, voted, approved, denied,
     * used; {@link #announceExpired} for expiry), after the store committed it; see {@link ApprovalListener}.
     */
    public void addListener(ApprovalListener listener) {
        eventListeners.add(listener);
    }

    /**
     * Announces {@link ApprovalEvent.Type#EXPIRED} for {@code id} when its effective status is EXPIRED (nothing is
     * stored: expiry is a matter of time). Called by whoever watches the clock, such as the notifier.
     *
     * @return whether the approval is expired (and was announced)
     */
    public boolean announceExpired(String id) {
        Optional<Approval> approval = find(id);
        if (approval.isEmpty() || approval.get().status() != Approval.Status.EXPIRED) {
            return false;
        }
        announce(new ApprovalEvent(ApprovalEvent.Type.EXPIRED, approval.get(), null, clock.instant()));
        return true;
    }

    private void announce(ApprovalEvent event) {
        for (ApprovalListener listener : eventListeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException ignored) {
                // the change is committed; a failing listener must not turn that into an error
            }
        }
    }

    /**
     * Calls {@code listener} with the approval's id after each change made through this service: created, voted
     * on (approved, denied or a partial vote), used. It runs on the changing thread after the store committed;
     * a listener that throws does not undo the change. Changes made by other processes are not seen.
     */
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    private Approval changed(Approval approval) {
        changed(approval.id());
        return approval;
    }

    private void changed(String id) {
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(id);
            } catch (RuntimeException ignored) {
                // the change is committed; a failing announcement must not turn that into an error
            }
        }
    }

    /** The approval with this id, with its effective status (EXPIRED when past its expiry); empty for {@code null}. */
    public Optional<Approval> find(String id) {
        return id == null ? Optional.empty() : store.find(id);
    }

    /** Approvals whose effective status is one of {@code statuses}, newest first, at most {@code limit}. */
    public List<Approval> list(EnumSet<Approval.Status> statuses, int limit) {
        if (statuses.isEmpty() || limit <= 0) {
            return List.of();
        }
        return store.list(statuses, limit);
    }

    /** {@code voter} approves approval {@code id} now; see {@link #vote}. */
    public Approval approve(String id, Principal voter, String reason) {
        return vote(id, voter.id(), List.copyOf(voter.roles()), true, reason, clock.instant());
    }

    /** {@code voter} denies approval {@code id} now; see {@link #vote}. */
    public Approval deny(String id, Principal voter, String reason) {
        return vote(id, voter.id(), List.copyOf(voter.roles()), false, reason, clock.instant());
    }

    /**
     * Records a vote under the approval rules (see the class comment), atomically.
     *
     * @return the approval after the vote
     * @throws ApprovalException naming the broken rule; nothing is recorded then
     */
    public Approval vote(String id, String principal, List<String> roles, boolean approve, String reason, Instant now) {
        if (principal == null || principal.isBlank()) {
            throw new ApprovalException("a vote needs the voter's principal id");
        }
        if (id == null) {
            throw new ApprovalException("approval null not found");
        }
        Approval.Vote vote = new Approval.Vote(principal, roles, approve, reason, now.truncatedTo(ChronoUnit.MILLIS));
        Approval after = changed(store.vote(id, vote, now, current -> counted(current, vote)));
        ApprovalEvent.Type type = switch (after.status()) {
            case APPROVED -> ApprovalEvent.Type.APPROVED;
            case DENIED -> ApprovalEvent.Type.DENIED;
            default -> ApprovalEvent.Type.VOTED;
        };
        announce(new ApprovalEvent(type, after, vote, vote.at()));
        return after;
    }

    /**
     * Atomically turns an APPROVED approval that has not expired at {@code now} into USED.
     *
     * @return {@code true} for exactly one caller across threads and replicas
     */
    public boolean consume(String id, Instant now) {
        if (id == null || !store.consume(id, now)) {
            return false;
        }
        changed(id);
        if (!eventListeners.isEmpty()) {
            store.find(id).ifPresent(used -> announce(new ApprovalEvent(ApprovalEvent.Type.USED, used, null, now)));
        }
        return true;
    }

    /**
     * The vote rules: checks {@code vote} against {@code current} and returns the status after it.
     *
     * @throws ApprovalException naming the broken rule
     */
    static Approval.Status counted(Approval current, Approval.Vote vote) {
        String principal = vote.principal();
        if (current.status() == Approval.Status.EXPIRED) {
            throw new ApprovalException("approval " + current.id() + " expired at " + current.expiresAt()
                    + "; votes are no longer accepted");
        }
        if (current.status() != Approval.Status.PENDING) {
            throw new ApprovalException("approval " + current.id() + " is "
                    + current.status().name().toLowerCase(Locale.ROOT)
                    + "; votes are only accepted while it is pending");
        }
        if (current.votes().stream().anyMatch(v -> v.principal().equals(principal))) {
            throw new ApprovalException(principal + " has already voted on approval " + current.id());
        }
        if (current.approverRoles().isEmpty()) {
            throw new ApprovalException(
                    "approval " + current.id() + " names no approver roles, so nobody may vote on it");
        }
        Set<String> held = new HashSet<>(vote.roles());
        if (current.approverRoles().stream().noneMatch(held::contains)) {
            throw new ApprovalException(principal + " may not vote on approval " + current.id()
                    + ": it needs one of the" + " roles " + String.join(", ", current.approverRoles()));
        }
        if (principal.equals(current.requester()) && !current.allowSelfApproval()) {
            throw new ApprovalException(principal + " requested approval " + current.id()
                    + " and self-approval is not allowed for it; another approver must vote");
        }
        if (!vote.approve()) {
            return Approval.Status.DENIED;
        }
        long approving = current.votes().stream()
                        .filter(Approval.Vote::approve)
                        .map(Approval.Vote::principal)
                        .distinct()
                        .count()
                + 1;
        return approving >= current.minApprovals() ? Approval.Status.APPROVED : Approval.Status.PENDING;
    }

    /**
     * The JSON Schema of {@link #status}: the output of {@code approval_status}, and the third shape a mutating
     * tool's result can take (the call stopped for an approval), so the gateway publishes it in their output schemas.
     */
    public static ObjectNode statusSchema() {
        ObjectNode p = JsonSchemas.properties();
        p.set("status", JsonSchemas.type("string", "approval_required, approved, denied, used or expired"));
        p.set("approval_id", JsonSchemas.type("string", "apr_..."));
        p.set("tool", JsonSchemas.type("string", "the tool the approval is for"));
        p.set("requester", JsonSchemas.type("string", "who asked"));
        p.set("change", JsonSchemas.type("string", "the change's summary; absent for none"));
        p.set("min_approvals", JsonSchemas.type("integer", "approvals needed"));
        p.set("approver_roles", JsonSchemas.arrayOf(JsonSchemas.type("string", "role"), "who may approve"));
        p.set("allow_self_approval", JsonSchemas.type("boolean", "the requester may approve"));
        p.set("approvers", JsonSchemas.arrayOf(JsonSchemas.type("string", "principal"), "who approved so far"));
        p.set("created_at", JsonSchemas.type("string", "RFC 3339"));
        p.set("expires_at", JsonSchemas.type("string", "RFC 3339"));
        p.set("reasons", JsonSchemas.type("string", "why approval is required"));
        return JsonSchemas.output(p, "status", "approval_id", "tool");
    }

    /** The structured status of an approval, as {@code approval_status}, the HTTP API and pending results show it. */
    public static ObjectNode status(Approval a) {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put(
                "status",
                a.status() == Approval.Status.PENDING
                        ? "approval_required"
                        : a.status().name().toLowerCase(Locale.ROOT));
        s.put("approval_id", a.id());
        s.put("tool", a.tool());
        s.put("requester", a.requester());
        s.put("change", a.changeSummary());
        s.put("min_approvals", a.minApprovals());
        var roles = s.putArray("approver_roles");
        a.approverRoles().forEach(roles::add);
        s.put("allow_self_approval", a.allowSelfApproval());
        var approvers = s.putArray("approvers");
        a.approvers().forEach(approvers::add);
        s.put("created_at", a.createdAt().toString());
        s.put("expires_at", a.expiresAt().toString());
        s.put("reasons", a.reasons());
        return s;
    }

    private Approval validated(Approval p) {
        String id = p.id() == null ? newId() : p.id();
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("approval id: must be apr_ followed by 26 base32 characters");
        }
        require(p.tool(), "tool");
        require(p.requester(), "requester");
        if (p.argsDigest() == null || !DIGEST.matcher(p.argsDigest()).matches()) {
            throw new IllegalArgumentException("approval args_digest: must be 64 lowercase hex characters (SHA-256)");
        }
        if (p.minApprovals() < 1) {
            throw new IllegalArgumentException(
                    "approval min_approvals: must be at least 1 (got " + p.minApprovals() + ")");
        }
        if (p.createdAt() == null || p.expiresAt() == null || !p.expiresAt().isAfter(p.createdAt())) {
            throw new IllegalArgumentException("approval expires_at: must be after created_at");
        }
        return new Approval(
                id,
                p.tool(),
                p.argsDigest(),
                p.requester(),
                p.resource(),
                p.changeSummary(),
                p.minApprovals(),
                p.approverRoles(),
                p.allowSelfApproval(),
                p.createdAt().truncatedTo(ChronoUnit.MILLIS),
                p.expiresAt().truncatedTo(ChronoUnit.MILLIS),
                Approval.Status.PENDING,
                List.of(),
                null,
                p.reasons());
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("approval " + field + ": required");
        }
    }

    /** {@code apr_} + 26 base32 characters: 130 bits from {@link SecureRandom}. */
    private String newId() {
        StringBuilder id = new StringBuilder("apr_");
        for (int i = 0; i < 26; i++) {
            id.append(BASE32[random.nextInt(32)]);
        }
        return id.toString();
    }
}
