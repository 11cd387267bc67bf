package io.opsmcp.alerts.hooks;

/** The request headers a receiver reads; names are matched case-insensitively (RFC 9110 §5.1). */
@FunctionalInterface
public interface Headers {

    /** The first value of header {@code name}, or {@code null}. */
    String first(String name);
}
