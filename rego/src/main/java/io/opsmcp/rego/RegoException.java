package io.opsmcp.rego;

import io.opsmcp.rego.ast.Location;

/**
 * An OPA-style error: a code ({@code rego_parse_error}, {@code rego_compile_error},
 * {@code rego_type_error}, {@code eval_conflict_error}, {@code eval_type_error},
 * {@code eval_builtin_error}, ...) with a message and an optional source location.
 * {@link #getMessage()} reads as OPA prints it: {@code file:row: code: message}.
 */
public class RegoException extends RuntimeException {
    private final String code;
    private final String detail;
    private final transient Location location;

    public RegoException(String code, String detail, Location location) {
        super(format(code, detail, location), null, false, false);
        this.code = code;
        this.detail = detail;
        this.location = location;
    }

    private static String format(String code, String detail, Location loc) {
        String prefix = loc == null || loc.row() == 0 ? "" : loc.prefix() + ": ";
        return prefix + code + ": " + detail;
    }

    /** OPA error code, e.g. {@code eval_conflict_error}. */
    public String code() {
        return code;
    }

    /** The message without code and location. */
    public String detail() {
        return detail;
    }

    /** Where the error was detected, or null. */
    public Location location() {
        return location;
    }
}
