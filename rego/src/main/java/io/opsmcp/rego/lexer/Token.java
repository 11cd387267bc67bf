package io.opsmcp.rego.lexer;

/**
 * A token. {@code text} is the identifier, the decoded string, or the number literal;
 * {@code newlineBefore} tells whether a line break precedes it; {@code end} is the offset after it.
 */
public record Token(TokenType type, String text, int row, int col, int offset, int end, boolean newlineBefore) {
    public boolean is(TokenType t) {
        return type == t;
    }

    public boolean isIdent(String s) {
        return type == TokenType.IDENT && text.equals(s);
    }

    /** How the token reads in an error message, as OPA's parser names tokens. */
    public String describe() {
        return switch (type) {
            case EOF -> "eof token";
            case IDENT -> "ident token";
            case STRING -> "string token";
            case NUMBER -> "number token";
            case TEMPLATE_START, TEMPLATE_PART, TEMPLATE_END -> "template-string token";
            default -> type.text() + " token";
        };
    }
}
