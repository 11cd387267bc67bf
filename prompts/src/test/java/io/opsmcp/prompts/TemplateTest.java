package io.opsmcp.prompts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {

    @Test
    void variablesSectionsAndInvertedSections() {
        Template t = Template.parse("a={{a}}{{#b}} b={{b}}{{#c}} c={{c}}{{/c}}{{/b}}{{^b}} no b{{/b}}.");
        assertThat(t.render(Map.of("a", "1"))).isEqualTo("a=1 no b.");
        assertThat(t.render(Map.of("a", "1", "b", "2"))).isEqualTo("a=1 b=2.");
        assertThat(t.render(Map.of("a", "1", "b", "2", "c", "3"))).isEqualTo("a=1 b=2 c=3.");
        assertThat(t.render(Map.of("b", " "))).isEqualTo("a= no b.");
        assertThat(t.names()).containsExactlyInAnyOrder("a", "b", "c");
        // values are inserted as they are: no HTML escaping, no re-expansion of tags inside values
        assertThat(Template.parse("{{a}}").render(Map.of("a", "<x> {{b}}"))).isEqualTo("<x> {{b}}");
        assertThat(Template.parse("uri runbook://{id} stays").render(Map.of())).isEqualTo("uri runbook://{id} stays");
    }

    @Test
    void malformedTemplatesAreRejected() {
        assertThatThrownBy(() -> Template.parse("{{#a}}x")).hasMessage("section {{#a}} is not closed");
        assertThatThrownBy(() -> Template.parse("{{#a}}x{{/b}}"))
                .hasMessageStartingWith("{{/b}} closes no open section");
        assertThatThrownBy(() -> Template.parse("x {{ Bad }}")).hasMessageStartingWith("malformed tag near: {{ Bad }}");
    }

    @Test
    void aBodyUsingAnUndeclaredArgumentIsRejectedAtLoad() {
        assertThatThrownBy(() -> new PromptLoader().parse("""
                ---
                name: p
                title: t
                description: d
                arguments:
                  - {name: host, description: h, required: true}
                ---
                {{host}} {{hots}}
                """, "p.md"))
                .hasMessage("p.md: the body uses {{hots}}, which is not an argument");
    }
}
