package io.opsmcp.tools.aws.sandbox;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.opsmcp.core.tool.ToolsetSandbox;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code --sandbox} for the aws toolset: WireMock on 127.0.0.1 (random port) simulating AWS account
 * {@value #ACCOUNT} ({@value SandboxWorld#ACCOUNT_ID}, environment {@value #ENVIRONMENT}, region
 * {@value SandboxWorld#REGION}) with cluster {@code shop}: services checkout (out of memory), catalog (healthy),
 * payments (image pull failure) and search (healthy, a log group of {@link #DEFAULT_SEARCH_LOG_EVENTS} events), and
 * IAM users with a leaked, a stale and an inactive access key and a locked-out console user ({@link SandboxIam}).
 */
public final class AwsSandbox implements ToolsetSandbox {

    /** Name of the sandbox account in tool arguments. */
    public static final String ACCOUNT = "sandbox";

    public static final String ENVIRONMENT = "prod";
    public static final long DEFAULT_SEARCH_LOG_EVENTS = 1_000_000;
    /** Fake keys: do not look like AWS keys (no AKIA/ASIA prefix), so nothing mistakes them for real ones. */
    static final String ACCESS_KEY_ID = "sandbox-access-key-id";

    static final String SECRET_ACCESS_KEY = "sandbox-secret-access-key-not-real";

    private final WireMockServer server;
    private final SandboxIam iam;

    private AwsSandbox(WireMockServer server, SandboxIam iam) {
        this.server = server;
        this.iam = iam;
    }

    /** Starts the simulated account with the default search log group size. */
    public static AwsSandbox start() {
        return start(DEFAULT_SEARCH_LOG_EVENTS);
    }

    /** Starts the simulated account; {@code searchLogEvents} sizes the search service's log group. */
    public static AwsSandbox start(long searchLogEvents) {
        Instant now = Instant.now();
        SandboxWorld world = new SandboxWorld(now, searchLogEvents);
        SandboxIam iam = new SandboxIam(now);
        return new AwsSandbox(AwsWire.serve(SandboxAwsHandler.NAME, 16, new SandboxAwsHandler(world, iam)), iam);
    }

    /** The simulated IAM users, keys and password secrets, for tests that check what a change did. */
    public SandboxIam iam() {
        return iam;
    }

    /** {@code http://127.0.0.1:PORT}, the endpoint every client of the sandbox account uses. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The {@code aws.accounts[]} entry of the sandbox account. */
    public ObjectNode accountConfig() {
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("name", ACCOUNT);
        a.put("account_id", SandboxWorld.ACCOUNT_ID);
        a.put("environment", ENVIRONMENT);
        a.put("default_region", SandboxWorld.REGION);
        a.putArray("regions").add(SandboxWorld.REGION);
        a.putObject("credentials")
                .put("type", "static")
                .put("access_key_id", ACCESS_KEY_ID)
                .put("secret_access_key", SECRET_ACCESS_KEY);
        a.put("endpoint_url", endpoint());
        a.put("deployment_poll_seconds", 1);
        a.put("password_reset_secret", SandboxIam.PASSWORD_SECRET);
        return a;
    }

    /**
     * Adds the sandbox account to {@code aws.accounts} (after the configured ones).
     *
     * @throws IllegalArgumentException when an account named {@value #ACCOUNT} is already configured
     */
    @Override
    public JsonNode configure(JsonNode settings) {
        ObjectNode copy = settings != null && settings.isObject()
                ? (ObjectNode) settings.deepCopy()
                : JsonNodeFactory.instance.objectNode();
        JsonNode aws = copy.get("aws");
        ObjectNode awsNode = aws != null && aws.isObject() ? (ObjectNode) aws : copy.putObject("aws");
        JsonNode accounts = awsNode.get("accounts");
        ArrayNode list = accounts != null && accounts.isArray() ? (ArrayNode) accounts : awsNode.putArray("accounts");
        for (JsonNode a : list) {
            if (ACCOUNT.equals(a.path("name").asString(""))) {
                throw new IllegalArgumentException("aws.accounts: an account named '" + ACCOUNT
                        + "' is configured; the name is reserved for --sandbox");
            }
        }
        list.add(accountConfig());
        return copy;
    }

    @Override
    public void close() {
        server.stop();
    }
}
