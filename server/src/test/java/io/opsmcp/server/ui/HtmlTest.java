package io.opsmcp.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The escaping HTML writer under attack: nothing a caller passes as text or attribute value becomes markup. */
class HtmlTest {

    private static final List<String> PAYLOADS = List.of(
            "<script>alert(1)</script>",
            "\"><svg onload=alert(1)>",
            "' onmouseover='alert(1)",
            "</textarea><script>alert(1)</script>",
            "&lt;script&gt;",
            "<!--",
            "]]><x>");

    @Test
    void textAndAttributeValuesNeverBreakOut() {
        for (String p : PAYLOADS) {
            String html = Html.page(p)
                    .element("p", p, "title", p, "class", p)
                    .open("input", "type", "hidden", "value", p)
                    .end();
            String body = html.substring(html.indexOf("<body>"));
            assertThat(body).doesNotContain("<script", "<svg", "<x>", "<!--", "' onmouseover");
            assertThat(html.substring(0, html.indexOf("</title>"))).doesNotContain("<script", "<svg");
            // every quote inside values is escaped, so each attribute ends where the writer ends it
            assertThat(body.chars().filter(c -> c == '"').count() % 2).isZero();
        }
        assertThat(Html.page("t").element("p", "&lt;").end()).contains("<p>&amp;lt;</p>");
    }

    @Test
    void scriptUrlsEventHandlersInlineStyleAndOddNamesAreRefused() {
        Html h = Html.page("t");
        assertThatThrownBy(() -> h.open("a", "href", "javascript:alert(1)"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.open("a", "href", " javascript:alert(1)"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.open("a", "href", "//evil.example/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.open("form", "action", "data:text/html,x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.open("p", "onclick", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.open("p", "style", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.open("p onclick=x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.open("p", "a b", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Html.page("t", "javascript:x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(h.open("a", "href", "/ui/approvals?status=all&x=\"")
                        .close("a")
                        .end())
                .contains("href=\"/ui/approvals?status=all&amp;x=&quot;\"");
    }
}
