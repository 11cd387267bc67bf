package io.opsmcp.rego.lexer;

/** Kinds of Rego tokens. */
public enum TokenType {
    IDENT,
    STRING,
    NUMBER,
    EOF,
    // a template string $"...{expr}..." (or $`...`): TEMPLATE_START, then literal parts: a TEMPLATE_PART
    // is followed by an expression (the part ended at an unescaped `{`), TEMPLATE_END closes the string
    TEMPLATE_START,
    TEMPLATE_PART,
    TEMPLATE_END,
    LBRACE("{"),
    RBRACE("}"),
    LBRACK("["),
    RBRACK("]"),
    LPAREN("("),
    RPAREN(")"),
    DOT("."),
    COMMA(","),
    SEMICOLON(";"),
    COLON(":"),
    OR("|"),
    AND("&"),
    PLUS("+"),
    MINUS("-"),
    STAR("*"),
    SLASH("/"),
    PERCENT("%"),
    UNIFY("="),
    ASSIGN(":="),
    EQ("=="),
    NEQ("!="),
    LT("<"),
    GT(">"),
    LTE("<="),
    GTE(">=");

    private final String text;

    TokenType() {
        this.text = null;
    }

    TokenType(String text) {
        this.text = text;
    }

    /** The literal text of a punctuation token (null for identifiers, literals and EOF). */
    public String text() {
        return text;
    }
}
