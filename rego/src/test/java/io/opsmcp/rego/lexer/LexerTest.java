package io.opsmcp.rego.lexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tokens of the Rego lexer: kinds, decoded text, positions and lexical errors (after OPA's scanner). */
class LexerTest {

    private static List<Token> lex(String src) {
        return Lexer.tokenize(src);
    }

    /** The tokens as {@code TYPE:text}, EOF left out. */
    private static String kinds(String src) {
        return lex(src).stream()
                .filter(t -> t.type() != TokenType.EOF)
                .map(t -> t.type() + (t.type().text() == null ? ":" + t.text() : ""))
                .collect(Collectors.joining(" "));
    }

    private static Token single(String src) {
        List<Token> ts = lex(src);
        assertThat(ts).hasSize(2);
        assertThat(ts.get(1).type()).isEqualTo(TokenType.EOF);
        return ts.get(0);
    }

    private static LexException lexError(String src) {
        try {
            Lexer.tokenize(src);
        } catch (LexException e) {
            return e;
        }
        throw new AssertionError("no lexical error for " + src);
    }

    // ------------------------------------------------------------ identifiers and punctuation

    @Test
    void emptySourceIsOnlyEof() {
        List<Token> ts = lex("");
        assertThat(ts).hasSize(1);
        assertThat(ts.get(0).type()).isEqualTo(TokenType.EOF);
        assertThat(ts.get(0).row()).isEqualTo(1);
        assertThat(ts.get(0).col()).isEqualTo(1);
    }

    @Test
    void identifiersTakeLettersDigitsAndUnderscores() {
        assertThat(kinds("allow _x x1 über")).isEqualTo("IDENT:allow IDENT:_x IDENT:x1 IDENT:über");
        // keywords are identifiers to the lexer; the parser decides what they mean
        assertThat(kinds("if contains every")).isEqualTo("IDENT:if IDENT:contains IDENT:every");
    }

    @Test
    void identifierDoesNotStartWithADigit() {
        assertThat(kinds("1abc")).isEqualTo("NUMBER:1 IDENT:abc");
    }

    @Test
    void twoCharacterOperatorsWinOverTheirPrefixes() {
        assertThat(kinds(":= : == = != <= < >= >")).isEqualTo("ASSIGN COLON EQ UNIFY NEQ LTE LT GTE GT");
        assertThat(kinds("x:=1")).isEqualTo("IDENT:x ASSIGN NUMBER:1");
        assertThat(kinds("a===b")).isEqualTo("IDENT:a EQ UNIFY IDENT:b");
    }

    @Test
    void everyPunctuationToken() {
        assertThat(kinds("{ } [ ] ( ) . , ; | & + - * / %"))
                .isEqualTo("LBRACE RBRACE LBRACK RBRACK LPAREN RPAREN DOT COMMA SEMICOLON OR AND PLUS MINUS"
                        + " STAR SLASH PERCENT");
    }

    @Test
    void illegalCharactersAreErrorsAtTheirPosition() {
        LexException e = lexError("p := 1\nq := @");
        assertThat(e).hasMessage("illegal token '@'");
        assertThat(e.row()).isEqualTo(2);
        assertThat(e.col()).isEqualTo(6);
        assertThat(lexError("x ! y")).hasMessage("illegal token '!'");
        assertThat(lexError("$x")).hasMessage("illegal $ character");
    }

    // ------------------------------------------------------------ numbers

    @ParameterizedTest
    @ValueSource(strings = {"0", "42", "3.14", "1e10", "1E10", "2.5e-3", "6e+2", "123456789012345678901234567890"})
    void numberLiteralsKeepTheirText(String n) {
        Token t = single(n);
        assertThat(t.type()).isEqualTo(TokenType.NUMBER);
        assertThat(t.text()).isEqualTo(n);
    }

    @Test
    void aSignIsItsOwnToken() {
        assertThat(kinds("-1")).isEqualTo("MINUS NUMBER:1");
        assertThat(kinds("1-2")).isEqualTo("NUMBER:1 MINUS NUMBER:2");
    }

    @Test
    void anExponentNeedsDigits() {
        // `1e` is the number 1 followed by the name e, as in OPA's scanner
        assertThat(kinds("1e")).isEqualTo("NUMBER:1 IDENT:e");
        assertThat(kinds("1e+")).isEqualTo("NUMBER:1 IDENT:e PLUS");
    }

    @Test
    void aFractionNeedsDigitsAfterTheDot() {
        // so that `x[1].y` and `1.foo` lex as a number followed by a dot
        assertThat(kinds("1.x")).isEqualTo("NUMBER:1 DOT IDENT:x");
        assertThat(kinds("xs[1].y")).isEqualTo("IDENT:xs LBRACK NUMBER:1 RBRACK DOT IDENT:y");
        assertThat(kinds("1.")).isEqualTo("NUMBER:1 DOT");
    }

    // ------------------------------------------------------------ strings

    @Test
    void stringsAreDecoded() {
        Token t = single("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"");
        assertThat(t.type()).isEqualTo(TokenType.STRING);
        assertThat(t.text()).isEqualTo("a\"b\\c/d\b\f\n\r\t");
    }

    @Test
    void unicodeEscapes() {
        assertThat(single("\"\\u0041\\u00e9\\u00E9\"").text()).isEqualTo("Aéé");
        assertThat(single("\"\\u20ac\"").text()).isEqualTo("€");
    }

    @Test
    void surrogatePairEscapesMakeOneCodePoint() {
        String s = single("\"\\ud83d\\ude00\"").text();
        assertThat(s).isEqualTo("😀");
        assertThat(s.codePointCount(0, s.length())).isEqualTo(1);
    }

    @Test
    void loneSurrogateEscapesBecomeTheReplacementCharacter() {
        // Go's JSON decoding (which OPA's parser uses for string literals) does the same
        assertThat(single("\"\\ud83d\"").text()).isEqualTo("\uFFFD");
        assertThat(single("\"\\ude00x\"").text()).isEqualTo("\uFFFDx");
        assertThat(single("\"\\ud83d\\u0041\"").text()).isEqualTo("\uFFFDA");
    }

    @Test
    void literalNonAsciiCharactersPassThrough() {
        assertThat(single("\"héllo 😀\"").text()).isEqualTo("héllo 😀");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"\"\\q\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\u+041\"", "\"\\u٣٣٣٣\"", "\"\\x41\"", "\"\\'\""})
    void badEscapesAreErrors(String src) {
        LexException e = lexError(src);
        assertThat(e).hasMessage("illegal escape sequence");
        assertThat(e.row()).isEqualTo(1);
        assertThat(e.col()).isEqualTo(1);
    }

    @Test
    void unterminatedStringsAreErrorsAtTheOpeningQuote() {
        LexException e = lexError("p := 1\nq := \"abc");
        assertThat(e).hasMessage("non-terminated string");
        assertThat(e.row()).isEqualTo(2);
        assertThat(e.col()).isEqualTo(6);
        // a string does not span lines
        assertThat(lexError("\"a\nb\"")).hasMessage("non-terminated string");
        // a trailing backslash escapes nothing
        assertThat(lexError("\"abc\\")).hasMessage("non-terminated string");
    }

    @Test
    void rawStringsTakeEverythingUpToTheBacktick() {
        Token t = single("`a\\nb\"c\nd`");
        assertThat(t.type()).isEqualTo(TokenType.STRING);
        assertThat(t.text()).isEqualTo("a\\nb\"c\nd");
        assertThat(single("``").text()).isEmpty();
    }

    @Test
    void rawStringsAdvanceTheLineCount() {
        List<Token> ts = lex("`a\nb\nc` x");
        assertThat(ts.get(1).text()).isEqualTo("x");
        assertThat(ts.get(1).row()).isEqualTo(3);
        assertThat(ts.get(1).col()).isEqualTo(4);
    }

    @Test
    void unterminatedRawStringIsAnError() {
        LexException e = lexError("x := `abc\ndef");
        assertThat(e).hasMessage("non-terminated raw string");
        assertThat(e.row()).isEqualTo(1);
        assertThat(e.col()).isEqualTo(6);
    }

    // ------------------------------------------------------------ comments, lines, positions

    @Test
    void commentsAreDropped() {
        assertThat(kinds("# head\nx # trailing \"not a string\n# last")).isEqualTo("IDENT:x");
        assertThat(kinds("\"# not a comment\"")).isEqualTo("STRING:# not a comment");
    }

    @Test
    void aLineBreakIsRecordedOnTheNextToken() {
        List<Token> ts = lex("a b\nc # note\n\nd;e");
        assertThat(ts).extracting(Token::newlineBefore).containsExactly(false, false, true, true, false, false, true);
        // the EOF after a final newline is marked too
        assertThat(lex("a\n").get(1).newlineBefore()).isTrue();
    }

    @Test
    void rowsAndColumnsAreOneBased() {
        List<Token> ts = lex("package a\n\n  p := [1,\n\t2]");
        assertThat(ts)
                .extracting(t -> t.text() + "@" + t.row() + ":" + t.col())
                .containsExactly(
                        "package@1:1",
                        "a@1:9",
                        "p@3:3",
                        ":=@3:5",
                        "[@3:8",
                        "1@3:9",
                        ",@3:10",
                        "2@4:2",
                        "]@4:3",
                        "@4:4");
    }

    @Test
    void offsetsDelimitTheSourceText() {
        String src = "x := \"a\\nb\" + 10";
        for (Token t : lex(src)) {
            if (t.type() == TokenType.STRING) {
                assertThat(src.substring(t.offset(), t.end())).isEqualTo("\"a\\nb\"");
            } else if (t.type() != TokenType.EOF) {
                assertThat(src.substring(t.offset(), t.end()))
                        .isEqualTo(t.type().text() == null ? t.text() : t.type().text());
            }
        }
    }

    @Test
    void carriageReturnsAreWhitespace() {
        List<Token> ts = lex("a\r\nb");
        assertThat(ts.get(1).text()).isEqualTo("b");
        assertThat(ts.get(1).row()).isEqualTo(2);
        assertThat(ts.get(1).col()).isEqualTo(1);
        assertThat(ts.get(1).newlineBefore()).isTrue();
    }

    @Test
    void tokensDescribeThemselvesAsOpaNamesThem() {
        List<Token> ts = lex("x \"s\" 1 := $\"t\"");
        assertThat(ts)
                .extracting(Token::describe)
                .containsExactly(
                        "ident token",
                        "string token",
                        "number token",
                        ":= token",
                        "template-string token",
                        "template-string token",
                        "eof token");
    }

    @Test
    void templateExpressionBracesAreBalancedBeforeTheStringResumes() {
        // the `}` of the object literal does not end the expression; the next one does
        List<Token> ts = lex("$\"{ {\"a\": 1}.a }x\"");
        assertThat(ts)
                .extracting(Token::type)
                .containsExactly(
                        TokenType.TEMPLATE_START,
                        TokenType.TEMPLATE_PART,
                        TokenType.LBRACE,
                        TokenType.STRING,
                        TokenType.COLON,
                        TokenType.NUMBER,
                        TokenType.RBRACE,
                        TokenType.DOT,
                        TokenType.IDENT,
                        TokenType.TEMPLATE_END,
                        TokenType.EOF);
        assertThat(ts.get(9).text()).isEqualTo("x");
        assertThatThrownBy(() -> lex("$\"a{x}")).hasMessage("non-terminated string");
    }
}
