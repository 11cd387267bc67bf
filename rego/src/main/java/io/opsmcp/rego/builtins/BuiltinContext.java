package io.opsmcp.rego.builtins;

import java.time.ZoneId;
import java.util.Map;

/** Per-query facilities available to built-ins. One instance lives for one query evaluation. */
public interface BuiltinContext {
    /** Wall-clock time for the whole query, in nanoseconds since the Unix epoch (time.now_ns). */
    long nowNs();

    /** A memo for the current query (e.g. uuid.rfc4122 stable per key). Not thread-safe. */
    Map<Object, Object> queryCache();

    /** Sink for print() output; one call per line. */
    void print(String line);

    /** True when built-in errors are raised instead of making the expression undefined. */
    boolean strictBuiltinErrors();

    /** Zone used by time built-ins for "Local". */
    ZoneId localZone();
}
