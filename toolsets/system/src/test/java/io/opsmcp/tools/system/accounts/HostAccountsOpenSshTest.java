package io.opsmcp.tools.system.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolContext;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolResult;
import io.opsmcp.toolkit.testing.ToolDefinitionChecks;
import io.opsmcp.tools.system.HostToolset;
import io.opsmcp.tools.system.HostToolsetProvider;
import io.opsmcp.tools.system.ssh.OpenSshd;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The account tools against a real OpenSSH server on loopback and real shadow-utils / pam_faillock: test users are
 * created with useradd (so this needs root, as CI runs; skipped otherwise unless {@code OPS_MCP_REQUIRE_SSHD=1}),
 * failures are written as pam_faillock tally records, and every user and tally file the test made is removed before
 * and after (names {@code opsmcp-it-*}, so an aborted earlier run is cleaned up too). A second sshd whose sessions'
 * PATH lacks faillock, pam_tally2, lastlog and last shows the missing programs named.
 */
class HostAccountsOpenSshTest {

    static final String LOCKED = "opsmcp-it-locked";
    static final String LEAVER = "opsmcp-it-leaver";
    static final String SYSTEM = "opsmcp-it-sys";
    static final String PROTECTED = "opsmcp-it-keep";
    static final List<String> USERS = List.of(LOCKED, LEAVER, SYSTEM, PROTECTED);
    /** A made-up crypt(3) string: no password hashes to it. It must never appear in any output. */
    static final String HASH = "$6$opsmcpit$Q0xWY2l0LWhhc2gtbm90LWEtcmVhbC1wYXNzd29yZC1oYXNoLWF0LWFsbA";

    static final Path FAILLOCK_DIR = Path.of("/var/run/faillock");

    @TempDir
    static Path dir;

    static OpenSshd sshd;
    static OpenSshd bare;
    static HostToolset toolset;
    static final List<String> outputs = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root || !Files.isExecutable(Path.of("/usr/sbin/useradd"))) {
            if ("1".equals(System.getenv("OPS_MCP_REQUIRE_SSHD"))) {
                throw new AssertionError("the account tests create users: they need root and useradd");
            }
            Assumptions.abort("the account tests create users with useradd: run as root (CI does)");
        }
        removeTestUsers();
        // SHLVL=1: bash reads ~/.bashrc for commands run by sshd only at shell level 1, and a developer's .bashrc
        // (pyenv, sdkman, …) costs seconds per command on a loaded machine; the tools run the same commands either way
        sshd = OpenSshd.startOrSkip(Files.createDirectories(dir.resolve("sshd")), "SetEnv SHLVL=1");
        // the second server's sessions find only what the account tools need besides the optional programs
        Path shims = Files.createDirectories(dir.resolve("shims"));
        for (String p : List.of("sh", "timeout", "env", "getent", "passwd", "chage", "sed", "ps", "usermod")) {
            Files.createSymbolicLink(shims.resolve(p), which(p));
        }
        bare = OpenSshd.startOrSkip(Files.createDirectories(dir.resolve("bare")), "SetEnv PATH=" + shims + " SHLVL=1");
        run("useradd", "-M", "-s", "/usr/sbin/nologin", "-p", HASH, LOCKED);
        run("usermod", "-L", LOCKED);
        writeFailures(LOCKED, 3);
        run("useradd", "-M", "-s", "/usr/sbin/nologin", "-p", HASH, LEAVER);
        run("useradd", "-M", "-r", "-s", "/usr/sbin/nologin", "-p", HASH, SYSTEM);
        run("useradd", "-M", "-s", "/usr/sbin/nologin", "-p", HASH, PROTECTED);

        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        settings.putObject("ssh").put("known_hosts", sshd.knownHosts().toString());
        ArrayNode hosts = settings.putArray("hosts");
        hosts.add(sshd.hostConfig("acct-1"));
        hosts.add(bare.hostConfig("bare-1").put("known_hosts", bare.knownHosts().toString()));
        settings.putObject("host_changes")
                .putObject("accounts")
                .put("enabled", true)
                .putArray("protected_names")
                .add(PROTECTED);
        toolset = (HostToolset) new HostToolsetProvider().create(settings, dir);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (toolset != null) {
                toolset.close();
            }
            if (sshd != null) {
                sshd.close();
            }
            if (bare != null) {
                bare.close();
            }
        } finally {
            if ("root".equals(System.getProperty("user.name"))) {
                removeTestUsers();
            }
        }
        // no output of any call carried the password hash
        assertThat(String.join("\n", outputs)).doesNotContain(HASH).doesNotContain("opsmcpit$");
    }

    @Test
    void statusReadsALockedAccountWithItsFailures() {
        ToolResult r = call("host_account_status", args("acct-1", LOCKED));
        ObjectNode s = (ObjectNode) r.structuredContent();
        assertThat(r.error()).isFalse();
        assertThat(s.get("uid").asLong()).isGreaterThanOrEqualTo(1000);
        assertThat(s.get("changeable").asBoolean()).isTrue();
        assertThat(s.get("locked").asBoolean()).isTrue();
        assertThat(s.get("locked_by").toString()).contains("password").contains("login_failures");
        assertThat(s.at("/password/state").asString()).isEqualTo("locked");
        assertThat(s.at("/failures/tool").asString()).isEqualTo("faillock");
        assertThat(s.at("/failures/count").asInt()).isEqualTo(3);
        assertThat(s.at("/failures/records/0/type").asString()).isEqualTo("RHOST");
        assertThat(s.at("/failures/records/0/source").asString()).isEqualTo("192.0.2.7");
        assertThat(s.at("/aging/account_expires").asString()).isEqualTo("never");
        assertThat(s.at("/aging/account_expired").asBoolean()).isFalse();
        assertThat(s.at("/last_logins/tool").asString()).isEqualTo("lastlog");
        assertThat(s.at("/last_logins/never_logged_in").asBoolean()).isTrue();
        assertThat(s.get("missing_tools")).isEmpty();
        assertThat(r.text()).contains("LOCKED by password, login_failures").contains("192.0.2.7");
    }

    @Test
    void unlockDryRunChangesNothingThenUnlockResetsFailuresAndPassword() throws Exception {
        ObjectNode a = args("acct-1", LOCKED);
        ActionDescriptor d = tool("host_account_unlock").describe(a, ctx(60));
        assertThat(d.kind()).isEqualTo("host:account");
        assertThat(d.ids()).containsEntry("account", LOCKED);
        assertThat(d.destructive()).isFalse();

        ToolResult dry = call("host_account_unlock", a.deepCopy().put("dry_run", true), dryRunCtx());
        assertThat(dry.structuredContent().get("dry_run").asBoolean()).isTrue();
        assertThat(dry.structuredContent().get("commands").toString())
                .contains("faillock --user " + LOCKED + " --reset")
                .contains("usermod -U -- " + LOCKED);
        assertThat(local("passwd", "-S", LOCKED)).contains(" L ");
        assertThat(local("faillock", "--user", LOCKED)).contains("192.0.2.7");

        ToolResult r = call("host_account_unlock", a, ctx(60));
        assertThat(r.error()).as(r.text()).isFalse();
        assertThat(r.structuredContent().at("/before/password/state").asString())
                .isEqualTo("locked");
        assertThat(r.structuredContent().at("/after/password/state").asString()).isEqualTo("usable");
        assertThat(r.structuredContent().at("/after/failures/count").asInt()).isZero();
        assertThat(r.structuredContent().get("locked_by")).isEmpty();
        assertThat(local("passwd", "-S", LOCKED)).contains(" P ");
        assertThat(local("faillock", "--user", LOCKED)).doesNotContain("192.0.2.7");

        // unlocking again is idempotent: the password step is left out, not failed
        ToolResult again = call("host_account_unlock", a, ctx(60));
        assertThat(again.error()).as(again.text()).isFalse();
        assertThat(again.structuredContent().get("commands").toString()).doesNotContain("usermod");
    }

    @Test
    void expireLocksPasswordAndKeyLoginsAndUnlockWithClearExpiryUndoesIt() throws Exception {
        ObjectNode a = args("acct-1", LEAVER);
        ActionDescriptor d = tool("host_account_expire").describe(a, ctx(60));
        assertThat(d.destructive()).isTrue();
        assertThat(tool("host_account_expire").definition().annotations().destructiveHint())
                .isTrue();

        ToolResult r = call("host_account_expire", a, ctx(60));
        assertThat(r.error()).as(r.text()).isFalse();
        assertThat(r.structuredContent().get("commands").toString()).contains("usermod -L -e 1 -- " + LEAVER);
        assertThat(local("passwd", "-S", LEAVER)).contains(" L ");
        assertThat(local("chage", "-l", LEAVER)).contains("Jan 02, 1970");
        ToolResult status = call("host_account_status", args("acct-1", LEAVER));
        assertThat(status.structuredContent().get("locked_by").toString())
                .contains("password")
                .contains("account_expiry");
        assertThat(r.structuredContent().get("processes").asInt()).isZero();

        ToolResult undo = call("host_account_unlock", a.deepCopy().put("clear_expiry", true), ctx(60));
        assertThat(undo.error()).as(undo.text()).isFalse();
        assertThat(undo.structuredContent().get("locked_by")).isEmpty();
        assertThat(local("chage", "-l", LEAVER)).containsPattern("Account expires\\s+: never");
    }

    @Test
    void rootProtectedAndLoginUsersAreRefusedBeforeConnecting() throws Exception {
        long before = sshd.connectionsAcceptedWhenQuiet();
        for (String user : List.of("root", PROTECTED, System.getProperty("user.name"))) {
            for (String t : List.of("host_account_unlock", "host_account_expire")) {
                assertThatThrownBy(() -> tool(t).describe(args("acct-1", user), ctx(60)))
                        .isInstanceOf(ToolException.class)
                        .hasMessageContaining("refused")
                        .extracting(e -> ((ToolException) e).kind())
                        .isEqualTo(ToolException.Kind.FORBIDDEN);
            }
        }
        assertThat(sshd.connectionsAccepted()).isEqualTo(before);
        assertThat(local("passwd", "-S", PROTECTED)).contains(" P ");
    }

    @Test
    void systemUidsAreRefusedOnTheHostAndLeftAlone() throws Exception {
        for (String t : List.of("host_account_unlock", "host_account_expire")) {
            assertThatThrownBy(() -> tool(t).execute(args("acct-1", SYSTEM), ctx(60)))
                    .isInstanceOf(ToolException.class)
                    .hasMessageContaining("system account")
                    .hasMessageContaining("1000..60000");
        }
        assertThat(local("passwd", "-S", SYSTEM)).contains(" P ");
        assertThat(local("chage", "-l", SYSTEM)).containsPattern("Account expires\\s+: never");
        // reading it is fine, and says the change tools will not touch it
        ToolResult status = call("host_account_status", args("acct-1", SYSTEM));
        assertThat(status.structuredContent().get("changeable").asBoolean()).isFalse();
    }

    @Test
    void badUserNamesAreRefusedNamingTheFieldWithNoConnection() throws Exception {
        long before = sshd.connectionsAcceptedWhenQuiet();
        List<String> bad = List.of(
                "-e",
                "--reset",
                "1000-",
                "1000",
                "Jdoe",
                "a;b",
                "a b",
                "$(id)",
                "`id`",
                "jdoe\n",
                "ja$ne",
                "..",
                "a".repeat(33),
                "",
                "jdoe/../root",
                "j\u00e9");
        for (String user : bad) {
            for (String t : List.of("host_account_status", "host_account_unlock", "host_account_expire")) {
                assertThatThrownBy(() -> tool(t).describe(args("acct-1", user), ctx(60)))
                        .as(t + " " + user)
                        .isInstanceOf(ToolException.class)
                        .hasMessageStartingWith("user: ");
                assertThatThrownBy(() -> tool(t).execute(args("acct-1", user), ctx(60)))
                        .as(t + " " + user)
                        .isInstanceOf(ToolException.class)
                        .hasMessageStartingWith("user: ");
            }
            // the published schema refuses them too
            String pattern = tool("host_account_status")
                    .definition()
                    .inputSchema()
                    .at("/properties/user/pattern")
                    .asString();
            boolean schemaOk = Pattern.compile(pattern).matcher(user).matches() && user.length() <= 32;
            assertThat(schemaOk).as(user).isFalse();
        }
        assertThat(sshd.connectionsAccepted()).isEqualTo(before);
        // the longest valid names and the trailing $ (Samba machine accounts) pass validation
        assertThat(AccountArgs.USER.read(args("acct-1", "a".repeat(32)))).hasSize(32);
        assertThat(AccountArgs.USER.read(args("acct-1", "_host01$"))).isEqualTo("_host01$");
    }

    @Test
    void anUnknownUserIsNotFound() {
        assertThatThrownBy(() -> tool("host_account_status").execute(args("acct-1", "opsmcp-it-nobody"), ctx(60)))
                .isInstanceOf(ToolException.class)
                .hasMessageContaining("no user 'opsmcp-it-nobody' on acct-1")
                .extracting(e -> ((ToolException) e).kind())
                .isEqualTo(ToolException.Kind.NOT_FOUND);
    }

    @Test
    void missingProgramsAreNamedAndTheRestIsStillRead() {
        ToolResult r = call("host_account_status", args("bare-1", PROTECTED));
        assertThat(r.error()).isFalse();
        assertThat(r.structuredContent().get("missing_tools").toString())
                .contains("faillock")
                .contains("pam_tally2")
                .contains("lastlog")
                .contains("last");
        assertThat(r.structuredContent().at("/failures/error").asString())
                .isEqualTo("neither faillock nor pam_tally2 is installed on bare-1");
        assertThat(r.structuredContent().at("/password/state").asString()).isEqualTo("usable");
        assertThat(r.text()).contains("not installed: faillock, pam_tally2, lastlog, last");
    }

    // ------------------------------------------------------------------------------------------------------------

    static ToolResult call(String tool, ObjectNode args) {
        return call(tool, args, ctx(60));
    }

    static ToolResult call(String tool, ObjectNode args, ToolContext ctx) {
        ToolResult r = tool(tool).execute(args, ctx);
        // every result matches the published output schema and declares what it returns
        assertThat(ToolDefinitionChecks.resultProblems(tool(tool).definition(), r))
                .isEmpty();
        synchronized (outputs) {
            outputs.add(r.text());
            outputs.add(String.valueOf(r.structuredContent()));
        }
        return r;
    }

    static OpsTool tool(String name) {
        return toolset.tools().stream()
                .filter(t -> t.definition().name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    static ObjectNode args(String host, String user) {
        return JsonNodeFactory.instance.objectNode().put("host", host).put("user", user);
    }

    static ToolContext ctx(int seconds) {
        return new ToolContext(
                new Principal("tester", Set.of("sre"), "local"),
                "req-acct",
                Instant.now().plusSeconds(seconds),
                null,
                null);
    }

    static ToolContext dryRunCtx() {
        return new ToolContext(
                new Principal("tester", Set.of("sre"), "local"),
                "req-acct",
                Instant.now().plusSeconds(30),
                null,
                null,
                true,
                ToolContext.Cancellation.NONE);
    }

    /**
     * pam_faillock's tally file (faillock.h {@code struct tally}: source[52], uint16 reserved, uint16 status,
     * uint64 time; host byte order): one RHOST, one TTY and one SVC record, all valid.
     */
    static void writeFailures(String user, int n) throws Exception {
        Files.createDirectories(FAILLOCK_DIR);
        ByteBuffer b = ByteBuffer.allocate(64 * n).order(ByteOrder.nativeOrder());
        String[] sources = {"192.0.2.7", "pts/1", "sshd"};
        short[] status = {0x1 | 0x2, 0x1 | 0x4, 0x1};
        long now = Instant.now().getEpochSecond();
        for (int i = 0; i < n; i++) {
            byte[] src = new byte[52];
            byte[] s = sources[i % 3].getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(s, 0, src, 0, s.length);
            b.put(src).putShort((short) 0).putShort(status[i % 3]).putLong(now - 60 + i);
        }
        Files.write(FAILLOCK_DIR.resolve(user), b.array());
    }

    static void removeTestUsers() throws Exception {
        for (String user : USERS) {
            if (exec("getent", "passwd", user) == 0) {
                run("userdel", user);
            }
            Files.deleteIfExists(FAILLOCK_DIR.resolve(user));
        }
    }

    static Path which(String program) throws Exception {
        for (String d : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path p = Path.of(d, program);
            if (Files.isExecutable(p)) {
                return p.toRealPath();
            }
        }
        throw new AssertionError(program + " not found");
    }

    static void run(String... argv) throws Exception {
        OpenSshd.exec(Map.of(), argv);
    }

    static int exec(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", argv) + " did not finish");
        }
        return p.exitValue();
    }

    static String local(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
