package io.opsmcp.server.http;

import io.opsmcp.server.config.ConfigException;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * Resource bounds of the HTTP transport, read from the {@code http} section of the configuration:
 *
 * <pre>
 * http:
 *   max_request_bytes: 1048576       # request body cap; larger bodies get 413 without being read
 *   read_timeout_seconds: 10         # headers after connect, each body read, idle keep-alive
 *   max_connections: 1024            # open connections Tomcat accepts before it stops accepting
 *   max_pending_bodies_per_client: 16  # request bodies of one principal received at once (429 beyond)
 * </pre>
 *
 * @param maxRequestBytes      the largest request body accepted, in bytes; checked against
 *                             {@code Content-Length} before reading and counted while reading chunked bodies
 * @param readTimeout          Tomcat's connection timeout: the wait for the request line and headers after
 *                             connect, for each read of the body, and for the next request on a kept-alive
 *                             connection
 * @param maxConnections       Tomcat's {@code maxConnections}
 * @param maxPendingBodiesPerClient request bodies of one principal being received at once; a client that
 *                             trickles bodies ties up at most this many worker threads
 */
public record HttpLimits(
        long maxRequestBytes, Duration readTimeout, int maxConnections, int maxPendingBodiesPerClient) {

    /** The defaults: 1 MiB bodies, 10 s reads, 1024 connections, 16 bodies received at once per client. */
    public static final HttpLimits DEFAULTS = new HttpLimits(1024 * 1024, Duration.ofSeconds(10), 1024, 16);

    /**
     * Reads the limits from the configuration document.
     *
     * @throws ConfigException naming the setting and the rule, e.g. {@code http.max_request_bytes: must be an
     *                         integer between 1024 and 1073741824 (got 'x')}
     */
    public static HttpLimits fromConfig(JsonNode tree) {
        JsonNode http = tree.path("http");
        return new HttpLimits(
                number(http, "max_request_bytes", DEFAULTS.maxRequestBytes(), 1024, 1L << 30),
                Duration.ofSeconds(number(
                        http, "read_timeout_seconds", DEFAULTS.readTimeout().toSeconds(), 1, 3600)),
                (int) number(http, "max_connections", DEFAULTS.maxConnections(), 1, 65536),
                (int) number(http, "max_pending_bodies_per_client", DEFAULTS.maxPendingBodiesPerClient(), 1, 10_000));
    }

    private static long number(JsonNode http, String field, long fallback, long min, long max) {
        JsonNode node = http.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return fallback;
        }
        String text = node.isValueNode() ? node.asString().trim() : node.toString();
        String rule = "http." + field + ": must be an integer between " + min + " and " + max + " (got '" + text + "')";
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(rule);
        }
        if (value < min || value > max) {
            throw new ConfigException(rule);
        }
        return value;
    }
}
