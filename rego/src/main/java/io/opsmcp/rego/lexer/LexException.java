package io.opsmcp.rego.lexer;

/** A lexical error at a row/column. */
public class LexException extends RuntimeException {
    private final int row;
    private final int col;

    public LexException(String message, int row, int col) {
        super(message, null, false, false);
        this.row = row;
        this.col = col;
    }

    public int row() {
        return row;
    }

    public int col() {
        return col;
    }
}
