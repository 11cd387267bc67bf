package io.opsmcp.server.stdio;

import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.ProtocolVersions;
import io.opsmcp.server.mcp.McpServerFactory;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers a stdio client's {@code initialize} while the runtime (toolsets, sandboxes, the MCP server) is still being
 * built (issue 16): the answer needs only the server's identity ({@link McpServerFactory.Identity}, known from the
 * configuration) and the protocol versions of the transport, so a client waits for the JVM's start and the
 * configuration, not for everything its later requests need (those wait in the pipe, in order, for the runtime).
 *
 * <p>The answer is the one the MCP SDK (2.2.0) gives: the client's {@code protocolVersion} when the SDK's stdio
 * transport supports it, else the latest it supports ({@code McpAsyncServer}'s initialize handler), and the identity,
 * written as the SDK writes {@code InitializeResult} (members in the records' order, absent ones left out). It is
 * written with the plain JSON tree the line filter already uses, not through the SDK's records: binding and writing
 * those with a cold mapper took 100-300 ms before the answer (Jackson builds record (de)serializers on first use).
 * Only a request whose parameters the SDK certainly binds to {@link McpSchema.InitializeRequest} ({@link #binds}) and
 * {@link io.opsmcp.server.mcp.ProtocolChecks} let through (params an object) is answered here; anything else is left to the SDK, which
 * answers it (or reports what is wrong) as before. The request is still handed to the SDK — its session must see it
 * — and the SDK's own answer, the second answer to that id, is dropped before it is written
 * ({@link LineAtomicOutputStream#dropOnce}); should it differ from the early one, that is logged as an error (the
 * tests keep them equal).
 */
final class EarlyInitialize {

    private static final Logger log = LoggerFactory.getLogger(EarlyInitialize.class);

    /**
     * An {@code initialize} request is a few hundred bytes; a longer line is left to the SDK, which applies its own
     * limit to the line (16 MiB).
     */
    static final int MAX_LINE_CHARS = 64 * 1024;

    private static final JsonMapper JSON = JsonRpcLineFilter.JSON;

    private final McpServerFactory.Identity identity;
    private final LineAtomicOutputStream out;

    /**
     * @param identity what the runtime's server will declare ({@code OpsMcpRuntime.identity(config)})
     * @param out      the protocol stdout
     */
    EarlyInitialize(McpServerFactory.Identity identity, LineAtomicOutputStream out) {
        this.identity = identity;
        this.out = out;
    }

    /**
     * The protocol versions of the SDK's stdio transport ({@code McpServerTransportProviderBase.protocolVersions()},
     * MCP Java SDK 2.2.0), oldest first: the SDK proposes the last. A constant, not asked of a transport: making one
     * loads the SDK's transport and Reactor, 130-240 ms before the answer. {@code EarlyInitializeTest} fails when the
     * SDK's list changes.
     */
    static final List<String> PROTOCOL_VERSIONS = List.of(
            ProtocolVersions.MCP_2024_11_05,
            ProtocolVersions.MCP_2025_03_26,
            ProtocolVersions.MCP_2025_06_18,
            ProtocolVersions.MCP_2025_11_25);

    /**
     * Answers {@code line} when it is an {@code initialize} request this class answers as the SDK would, and arranges
     * for the SDK's answer to it to be dropped. Called with the filter's lock held, before the SDK can read the line.
     *
     * @param line the first well-formed JSON-RPC message (without its newline)
     * @return whether it answered
     */
    boolean answer(String line) {
        if (line.length() > MAX_LINE_CHARS || !line.contains(McpSchema.METHOD_INITIALIZE)) {
            return false; // cheap tests first: a client's first line is rarely anything else, but may be
        }
        try {
            String answer = answerTo(JSON.readTree(line), identity);
            if (answer == null) {
                return false;
            }
            out.dropOnce(sdkLine -> isSameAnswer(sdkLine, answer));
            out.writeLine(answer);
            return true;
        } catch (IOException | RuntimeException e) {
            // not answered here: the SDK reads the same line and answers it (or reports what is wrong with it)
            log.debug("stdio: initialize left to the SDK: {}", e.toString());
            return false;
        }
    }

    /**
     * The SDK's answer to {@code message} when it is an {@code initialize} request answered here, else {@code null}.
     */
    static String answerTo(JsonNode message, McpServerFactory.Identity identity) {
        JsonNode id = message.get("id");
        JsonNode method = message.get("method");
        if (id == null
                || !(id.isString() || id.isIntegralNumber())
                || method == null
                || !McpSchema.METHOD_INITIALIZE.equals(method.asString(null))
                || !binds(message.get("params"))) {
            return null;
        }
        ObjectNode result = result(
                identity, negotiate(message.get("params").get("protocolVersion").asString()));
        if (result == null) {
            return null;
        }
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        response.set("id", id);
        response.set("result", result);
        return JSON.writeValueAsString(response);
    }

    /** {@code McpAsyncServer}'s choice: the client's version when supported, else the latest supported. */
    static String negotiate(String requested) {
        return PROTOCOL_VERSIONS.contains(requested) ? requested : PROTOCOL_VERSIONS.get(PROTOCOL_VERSIONS.size() - 1);
    }

    /**
     * {@code InitializeResult} as the SDK writes it, or {@code null} when the identity holds something not written
     * here (experimental or extension capabilities, icons ...): then the SDK answers.
     */
    private static ObjectNode result(McpServerFactory.Identity identity, String version) {
        McpSchema.ServerCapabilities caps = identity.capabilities();
        McpSchema.Implementation info = identity.serverInfo();
        if (caps.experimental() != null
                || caps.extensions() != null
                || info.description() != null
                || info.icons() != null
                || info.websiteUrl() != null) {
            return null;
        }
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("protocolVersion", version);
        ObjectNode c = result.putObject("capabilities");
        if (caps.completions() != null) {
            c.putObject("completions");
        }
        if (caps.logging() != null) {
            c.putObject("logging");
        }
        if (caps.prompts() != null) {
            putIfPresent(c.putObject("prompts"), "listChanged", caps.prompts().listChanged());
        }
        if (caps.resources() != null) {
            ObjectNode r = c.putObject("resources");
            putIfPresent(r, "subscribe", caps.resources().subscribe());
            putIfPresent(r, "listChanged", caps.resources().listChanged());
        }
        if (caps.tools() != null) {
            putIfPresent(c.putObject("tools"), "listChanged", caps.tools().listChanged());
        }
        ObjectNode s = result.putObject("serverInfo");
        s.put("name", info.name());
        if (info.title() != null) {
            s.put("title", info.title());
        }
        if (info.version() != null) {
            s.put("version", info.version());
        }
        if (identity.instructions() != null) {
            result.put("instructions", identity.instructions());
        }
        return result;
    }

    private static void putIfPresent(ObjectNode node, String name, Boolean value) {
        if (value != null) {
            node.put(name, value.booleanValue());
        }
    }

    /**
     * Whether the SDK binds {@code params} to {@code InitializeRequest(protocolVersion, capabilities, clientInfo,
     * _meta)} without error — checked conservatively: every member it reads has the JSON type of its Java type
     * (strings strictly, where Jackson would also take a number), unknown members are ignored as Jackson does; a shape
     * refused here may still bind, and is then answered by the SDK. Requires a {@code protocolVersion} and a
     * {@code clientInfo} with {@code name} and {@code version}, as MCP does.
     */
    static boolean binds(JsonNode params) {
        return params != null
                && params.isObject()
                && isString(params.get("protocolVersion"))
                && absentOrObject(params.get("_meta"))
                && capabilities(params.get("capabilities"))
                && implementation(params.get("clientInfo"));
    }

    /** {@code ClientCapabilities(experimental, roots, sampling, elicitation, extensions)}. */
    private static boolean capabilities(JsonNode c) {
        if (absent(c)) {
            return true;
        }
        if (!c.isObject()) {
            return false;
        }
        JsonNode roots = c.get("roots");
        JsonNode elicitation = c.get("elicitation");
        return absentOrObject(c.get("experimental"))
                && absentOrObject(c.get("sampling"))
                && (absent(roots) || roots.isObject() && absentOrBoolean(roots.get("listChanged")))
                && (absent(elicitation)
                        || elicitation.isObject()
                                && absentOrObject(elicitation.get("form"))
                                && absentOrObject(elicitation.get("url")))
                && extensions(c.get("extensions"));
    }

    /** {@code Map<String, Map<String, Object>>}. */
    private static boolean extensions(JsonNode x) {
        if (absent(x)) {
            return true;
        }
        if (!x.isObject()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> e : x.properties()) {
            if (!absentOrObject(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** {@code Implementation(name, title, version, description, icons, websiteUrl)}; icons are left to the SDK. */
    private static boolean implementation(JsonNode i) {
        return i != null
                && i.isObject()
                && isString(i.get("name"))
                && isString(i.get("version"))
                && absentOrString(i.get("title"))
                && absentOrString(i.get("description"))
                && absentOrString(i.get("websiteUrl"))
                && absent(i.get("icons"));
    }

    private static boolean absent(JsonNode n) {
        return n == null || n.isNull();
    }

    private static boolean isString(JsonNode n) {
        return n != null && n.isString();
    }

    private static boolean absentOrString(JsonNode n) {
        return absent(n) || n.isString();
    }

    private static boolean absentOrObject(JsonNode n) {
        return absent(n) || n.isObject();
    }

    private static boolean absentOrBoolean(JsonNode n) {
        return absent(n) || n.isBoolean();
    }

    /**
     * Whether {@code sdkLine} is the SDK's answer to the request answered early with {@code early}; one that differs
     * in content is logged as an error, and dropped all the same: the client has its answer.
     */
    private static boolean isSameAnswer(String sdkLine, String early) {
        if (sdkLine.equals(early)) {
            return true;
        }
        JsonNode line;
        JsonNode sent;
        try {
            line = JSON.readTree(sdkLine);
            sent = JSON.readTree(early);
        } catch (JacksonException e) {
            return false;
        }
        JsonNode id = line.get("id");
        if (line.has("method")
                || id == null
                || !id.asString("").equals(sent.get("id").asString(""))) {
            return false;
        }
        if (!line.equals(sent)) {
            log.error(
                    "stdio: the MCP server's answer to initialize differs from the one sent before it was built;"
                            + " sent: {}; the server's (dropped): {}",
                    early,
                    sdkLine);
        }
        return true;
    }
}
