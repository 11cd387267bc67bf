package io.opsmcp.rego.ast;

/** A source position: file name (may be empty), 1-based row and column. */
public record Location(String file, int row, int col) {
    public static final Location NONE = new Location("", 0, 0);

    /** OPA's prefix for messages: {@code file:row:} (or {@code row:} without a file). */
    public String prefix() {
        return (file == null || file.isEmpty() ? "" : file + ":") + row;
    }

    @Override
    public String toString() {
        return (file == null || file.isEmpty() ? "" : file + ":") + row + ":" + col;
    }
}
