package io.opsmcp.rego.lexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Template strings split into literal parts around the tokens of their expressions. */
class LexerTemplateTest {
    private static String show(String src) {
        List<Token> ts = Lexer.tokenize(src);
        return ts.stream()
                .map(t -> switch (t.type()) {
                    case TEMPLATE_START -> "<";
                    case TEMPLATE_PART -> "P(" + t.text() + ")";
                    case TEMPLATE_END -> "E(" + t.text() + ")";
                    case EOF -> ".";
                    default -> t.text();
                })
                .collect(Collectors.joining(" "));
    }

    @Test
    void partsSurroundExpressionTokens() {
        assertThat(show("$\"id-{x.y}, {1 + 2}!\"")).isEqualTo("< P(id-) x . y P(, ) 1 + 2 E(!) .");
        assertThat(show("$\"\"")).isEqualTo("< E() .");
    }

    @Test
    void bracesInsideAnExpressionAreCounted() {
        assertThat(show("$\"{ {\"k\": {1}} }\" == 2")).isEqualTo("< P() { k : { 1 } } E() == 2 .");
    }

    @Test
    void templatesNest() {
        assertThat(show("$\"a{$\"b{c}d\"}e\"")).isEqualTo("< P(a) < P(b) c E(d) E(e) .");
    }

    @Test
    void escapes() {
        assertThat(show("$\"\\{x} \\t\\u0041\"")).isEqualTo("< E({x} \tA) .");
        assertThat(show("$`\\{x}\\n{y}`")).isEqualTo("< P({x}\\n) y E() .");
        assertThatThrownBy(() -> Lexer.tokenize("$\"\\q\"")).hasMessage("illegal escape sequence");
    }

    @Test
    void rawTemplatesSpanLinesOthersDoNot() {
        List<Token> ts = Lexer.tokenize("$`a\n{x}\nb` c");
        assertThat(ts.get(ts.size() - 2).row()).isEqualTo(3);
        assertThatThrownBy(() -> Lexer.tokenize("$\"a\nb\"")).hasMessage("non-terminated string");
        assertThatThrownBy(() -> Lexer.tokenize("$\"a{x}")).hasMessage("non-terminated string");
    }
}
