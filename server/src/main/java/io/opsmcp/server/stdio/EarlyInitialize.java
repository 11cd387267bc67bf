package io.opsmcp.server.stdio;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.opsmcp.server.mcp.McpServerFactory;
import io.opsmcp.server.mcp.ProtocolChecks;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a stdio client's {@code initialize} while the runtime (toolsets, sandboxes, the MCP server) is still being
 * built (issue 16): the answer needs only the server's identity ({@link McpServerFactory.Identity}, known from the
 * configuration) and the protocol versions of the transport, so a client waits for ~the JVM's start and the
 * configuration, not for everything its later requests need (those wait for the runtime in the pipe, in order).
 *
 * <p>The answer is the one the MCP SDK (2.2.0) gives, made the same way: the request read and its parameters bound
 * to {@link McpSchema.InitializeRequest} by the transport's own mapper; the client's {@code protocolVersion} when
 * the transport supports it, else the latest it supports ({@code McpAsyncServer}'s initialize handler); the result
 * written by the same mapper. Anything the SDK or {@link ProtocolChecks} would not answer with a result (params that
 * do not bind, that the checks refuse, an oversized line) is left to them. The request is still handed to the SDK —
 * its session must see it — and the SDK's own answer to it, the second answer to that id, is dropped before it is
 * written ({@link LineAtomicOutputStream#dropOnce}); should it differ from the early one, that is logged as an
 * error (the tests keep them equal).
 */
final class EarlyInitialize {

    private static final Logger log = LoggerFactory.getLogger(EarlyInitialize.class);

    /**
     * An {@code initialize} request is a few hundred bytes; a longer line is left to the SDK, which applies its own
     * limit to the line (16 MiB).
     */
    static final int MAX_LINE_CHARS = 64 * 1024;

    private final Supplier<McpJsonMapper> json;
    private final Supplier<List<String>> protocolVersions;
    private final McpServerFactory.Identity identity;
    private final LineAtomicOutputStream out;

    /**
     * @param json             the transport's mapper (waited for when a request comes)
     * @param protocolVersions the transport's supported versions, oldest first (the SDK proposes the last)
     * @param identity         what the runtime's server will declare ({@code OpsMcpRuntime.identity(config)})
     * @param out              the protocol stdout
     */
    EarlyInitialize(
            Supplier<McpJsonMapper> json,
            Supplier<List<String>> protocolVersions,
            McpServerFactory.Identity identity,
            LineAtomicOutputStream out) {
        this.json = json;
        this.protocolVersions = protocolVersions;
        this.identity = identity;
        this.out = out;
    }

    /**
     * Answers {@code line} when it is an {@code initialize} request the SDK would answer with a result, and arranges
     * for the SDK's answer to it to be dropped. Called with the filter's lock held, before the SDK can read the line.
     *
     * @param line the first well-formed JSON-RPC message (without its newline)
     * @return whether it answered
     */
    boolean answer(String line) {
        if (line.length() > MAX_LINE_CHARS || !line.contains(McpSchema.METHOD_INITIALIZE)) {
            return false; // cheap tests first: most first lines of a modern client are not initialize
        }
        try {
            System.err.println("XDBG line " + System.currentTimeMillis());
            McpJsonMapper mapper = json.get();
            System.err.println("XDBG json " + System.currentTimeMillis());
            if (!(McpSchema.deserializeJsonRpcMessage(mapper, line) instanceof McpSchema.JSONRPCRequest request)
                    || !McpSchema.METHOD_INITIALIZE.equals(request.method())
                    || request.id() == null
                    || !(request.params() instanceof Map)
                    || ProtocolChecks.answer(request).isPresent()) {
                return false;
            }
            McpSchema.InitializeRequest init =
                    mapper.convertValue(request.params(), new TypeRef<McpSchema.InitializeRequest>() {});
            if (init == null) {
                return false;
            }
            List<String> versions = protocolVersions.get();
            String version = versions.contains(init.protocolVersion())
                    ? init.protocolVersion()
                    : versions.get(versions.size() - 1);
            String answer = mapper.writeValueAsString(new McpSchema.JSONRPCResponse(
                    McpSchema.JSONRPC_VERSION,
                    request.id(),
                    new McpSchema.InitializeResult(
                            version, identity.capabilities(), identity.serverInfo(), identity.instructions()),
                    null));
            Object id = request.id();
            out.dropOnce(sdkLine -> isAnswerTo(mapper, sdkLine, id, answer));
            out.writeLine(answer);
            System.err.println("XDBG answered " + System.currentTimeMillis());
            return true;
        } catch (IOException | RuntimeException e) {
            // not answered here: the SDK reads the same line and answers it (or reports what is wrong with it)
            log.debug("stdio: initialize left to the SDK: {}", e.toString());
            return false;
        }
    }

    /** Whether {@code sdkLine} is the SDK's answer to request {@code id}; one that differs from ours is logged. */
    private static boolean isAnswerTo(McpJsonMapper mapper, String sdkLine, Object id, String early) {
        if (sdkLine.equals(early)) {
            return true;
        }
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(mapper, sdkLine);
        } catch (IOException | RuntimeException e) {
            return false;
        }
        if (!(message instanceof McpSchema.JSONRPCResponse response) || !sameId(response.id(), id)) {
            return false;
        }
        log.error(
                "stdio: the MCP server's answer to initialize differs from the one sent before it was built;"
                        + " sent: {}; the server's (dropped): {}",
                early,
                sdkLine);
        return true;
    }

    /** JSON-RPC ids compared as JSON values: the mapper may read {@code 1} as an Integer, a Long or a BigInteger. */
    private static boolean sameId(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.toString().equals(y.toString());
        }
        return Objects.equals(a, b);
    }
}
