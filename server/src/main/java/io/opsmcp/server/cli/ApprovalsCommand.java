package io.opsmcp.server.cli;

import io.opsmcp.core.tool.Principal;
import io.opsmcp.guard.approval.Approval;
import io.opsmcp.guard.approval.ApprovalException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ops-mcp approvals}: the out-of-band approval desk, against the same store the server uses (through the
 * server's control socket while it holds the embedded store). A vote is cast as the principal whose
 * {@code principals[].os_user} is the OS user running the command, as the kernel reports it to the server; the
 * roles come from that entry. {@code --as} only picks among the principals mapped to that OS user, and nothing is
 * taken from environment variables.
 */
@Command(
        name = "approvals",
        mixinStandardHelpOptions = true,
        description = "List, show, approve or deny approval requests.",
        subcommands = {
            ApprovalsCommand.ListCommand.class,
            ApprovalsCommand.Show.class,
            ApprovalsCommand.Approve.class,
            ApprovalsCommand.Deny.class
        })
public final class ApprovalsCommand {

    static void print(Approval a, PrintWriter out) {
        out.printf(
                "%s  %-8s  %s by %s  %s%n",
                a.id(), a.status(), a.tool(), a.requester(), a.changeSummary() == null ? "" : a.changeSummary());
        out.printf(
                "    needs %d approval(s) from %s%s; expires %s%n",
                a.minApprovals(),
                a.approverRoles().isEmpty() ? "any role" : String.join(" or ", a.approverRoles()),
                a.allowSelfApproval() ? "" : " (not the requester)",
                a.expiresAt());
        if (a.resource() != null) {
            out.println("    resource: " + a.resource());
        }
        out.println("    reasons: " + a.reasons());
        for (Approval.Vote v : a.votes()) {
            out.printf(
                    "    %s by %s at %s%s%n",
                    v.approve() ? "approved" : "denied",
                    v.principal(),
                    v.at(),
                    v.reason() == null ? "" : ": " + v.reason());
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Pending approvals (with --all: every status).")
    static final class ListCommand extends StoreCommand {

        @Option(names = "--all", description = "Include approved, denied, used and expired requests.")
        boolean all;

        @Override
        List<String> remoteArgs() {
            return all ? List.of("approvals", "list", "--all") : List.of("approvals", "list");
        }

        @Override
        int run(StoreSession session, PrintWriter out, PrintWriter err) {
            List<Approval> list = session.approvals()
                    .list(all ? EnumSet.allOf(Approval.Status.class) : EnumSet.of(Approval.Status.PENDING), 200);
            if (list.isEmpty()) {
                out.println(all ? "no approval requests" : "no pending approval requests");
            }
            list.forEach(a -> print(a, out));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One approval request and its votes.")
    static final class Show extends StoreCommand {

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        List<String> remoteArgs() {
            return List.of("approvals", "show", id);
        }

        @Override
        int run(StoreSession session, PrintWriter out, PrintWriter err) {
            var approval = session.approvals().find(id);
            if (approval.isEmpty()) {
                err.println("ops-mcp: approval " + id + " does not exist");
                return 1;
            }
            print(approval.get(), out);
            return 0;
        }
    }

    /** Shared by approve and deny. */
    abstract static class Vote extends StoreCommand {

        @Parameters(paramLabel = "ID")
        String id;

        @Option(
                names = "--as",
                paramLabel = "PRINCIPAL",
                description = "Which principal mapped to your OS user (principals[].os_user) votes, when several are;"
                        + " never another user's.")
        String as;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (recorded with the vote).")
        String reason;

        abstract boolean approve();

        @Override
        List<String> remoteArgs() {
            List<String> args = new ArrayList<>(List.of("approvals", approve() ? "approve" : "deny", id));
            if (as != null) {
                args.addAll(List.of("--as", as));
            }
            if (reason != null) {
                args.addAll(List.of("--reason", reason));
            }
            return args;
        }

        @Override
        int run(StoreSession session, PrintWriter out, PrintWriter err) {
            List<Principal> mine = StoreSession.principals(session.config()).mappedTo(session.osUser());
            List<String> ids = mine.stream().map(Principal::id).toList();
            Principal voter;
            if (mine.isEmpty()) {
                err.println("ops-mcp: OS user " + session.osUser()
                        + " is not mapped to an approver: a vote from the CLI"
                        + " needs principals[].os_user: " + session.osUser() + " on the approver's entry (--as and"
                        + " environment variables never choose who votes); or vote over the approvals HTTP API with"
                        + " the approver's API key");
                return 2;
            } else if (as != null) {
                voter = mine.stream().filter(p -> p.id().equals(as)).findFirst().orElse(null);
                if (voter == null) {
                    err.println("ops-mcp: --as " + as + ": OS user " + session.osUser() + " may vote only as "
                            + String.join(", ", ids) + " (principals[].os_user)");
                    return 2;
                }
            } else if (mine.size() > 1) {
                err.println("ops-mcp: OS user " + session.osUser() + " is mapped to " + String.join(", ", ids)
                        + ": pick one with --as");
                return 2;
            } else {
                voter = mine.get(0);
            }
            try {
                Approval after = approve()
                        ? session.approvals().approve(id, voter, reason)
                        : session.approvals().deny(id, voter, reason);
                print(after, out);
                if (after.status() == Approval.Status.APPROVED) {
                    out.println("Approved. The requester can now call " + after.tool()
                            + " again with the same arguments plus approval_id " + after.id() + ".");
                }
                return 0;
            } catch (ApprovalException e) {
                err.println("ops-mcp: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(
            name = "approve",
            mixinStandardHelpOptions = true,
            description = "Approve a request as the principal mapped to your OS user.")
    static final class Approve extends Vote {
        @Override
        boolean approve() {
            return true;
        }
    }

    @Command(
            name = "deny",
            mixinStandardHelpOptions = true,
            description = "Deny a request as the principal mapped to your OS user.")
    static final class Deny extends Vote {
        @Override
        boolean approve() {
            return false;
        }
    }
}
