package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.BuiltinTestSupport.assertJsonError;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.callJson;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.StringValue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class UriGlobTemplateBuiltinsTest {

    @Test
    void uriParseDropsUserinfoAndDecodesZones() {
        // raw_path is the input only when the decoded path does not re-escape to it (%20 does; %2F does not).
        assertThat(callJson("uri.parse", "\"/a%2Fb\""))
                .isEqualTo(json("{\"path\": \"/a/b\", \"raw_path\": \"/a%2Fb\"}"));
        assertThat(callJson("uri.parse", "\"HTTPS://me:secret@h.example:8443/a%20b?x=1&y#frag%21\""))
                .isEqualTo(json(
                        "{\"scheme\": \"https\", \"hostname\": \"h.example\", \"port\": \"8443\", \"path\": \"/a b\","
                                + " \"raw_path\": \"/a b\", \"raw_query\": \"x=1&y\", \"fragment\": \"frag!\"}"));
        assertThat(callJson("uri.parse", "\"http://[fe80::1%25eth0]:80/\""))
                .isEqualTo(
                        json("{\"scheme\": \"http\", \"hostname\": \"fe80::1%eth0\", \"port\": \"80\", \"path\": \"/\","
                                + " \"raw_path\": \"/\"}"));
        assertThat(callJson("uri.parse", "\"//only.host\"")).isEqualTo(json("{\"hostname\": \"only.host\"}"));
    }

    @Test
    void uriErrorsCarryGoTexts() {
        assertJsonError("uri.parse", "\"http://h/a%zz\"")
                .isInstanceOf(BuiltinError.class)
                .hasMessage("parse \"http://h/a%zz\": invalid URL escape \"%zz\"");
        assertJsonError("uri.parse", "\"http://h/\\u0007\"")
                .isInstanceOf(BuiltinError.class)
                .hasMessage("parse \"http://h/\\a\": net/url: invalid control character in URL");
        assertJsonError("uri.parse", "\"1ab:c/d\"")
                .isInstanceOf(BuiltinError.class)
                .hasMessage("parse \"1ab:c/d\": first path segment in URL cannot contain colon");
        assertJsonError("uri.parse", "\"http://h:80x/\"")
                .isInstanceOf(BuiltinError.class)
                .hasMessage("parse \"http://h:80x/\": invalid port \":80x\" after host");
        assertJsonError("uri.parse", "\"http://a b/\"")
                .isInstanceOf(BuiltinError.class)
                .hasMessage("parse \"http://a b/\": invalid character \" \" in host name");
        assertThat(callJson("uri.is_valid", "\"x:\"")).isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("uri.is_valid", "\"://x\"")).isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("uri.is_valid", "1")).isEqualTo(BooleanValue.FALSE);
    }

    @Test
    void globsMatchIntersectsCharactersSetsAndFlags() {
        assertThat(callJson("regex.globs_match", "\"ab*c\"", "\"a.+\"")).isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("regex.globs_match", "\"[a-c]x\"", "\"bx\"")).isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("regex.globs_match", "\"[a-c]x\"", "\"dx\"")).isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("regex.globs_match", "\"x\\\\*\"", "\"x*\"")).isEqualTo(BooleanValue.FALSE);
        assertJsonError("regex.globs_match", "\"*a\"", "\"a\"")
                .isInstanceOf(BuiltinError.class)
                .hasMessage("input:*a, pos:1, flag '*' must be preceded by a non-flag: the input provided is invalid");
        assertJsonError("regex.globs_match", "\"[z-a]\"", "\"a\"")
                .isInstanceOf(BuiltinError.class)
                .hasMessageContaining("range is out of order: 'a' comes before 'z' in Unicode");
        assertJsonError("regex.globs_match", "\"[ab\"", "\"a\"")
                .isInstanceOf(BuiltinError.class)
                .hasMessageContaining("found [ without matching ]");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void pathologicalGlobsAreDecidedQuicklyOrRefused() {
        String stars = "a*".repeat(40) + "b";
        String as = "a".repeat(60);
        assertThat(callJson("regex.globs_match", "\"" + stars + "\"", "\"" + as + "\""))
                .isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("regex.globs_match", "\"" + stars + "\"", "\"" + as + "b\""))
                .isEqualTo(BooleanValue.TRUE);
        // A set spanning all of Unicode is a range, not a million entries.
        assertThat(callJson("regex.globs_match", "\"[\\u0001-\\udbff\\udfff]+\"", "\"xyz\""))
                .isEqualTo(BooleanValue.TRUE);
        assertJsonError("regex.globs_match", "\"" + "a".repeat(6000) + "\"", "\"a\"")
                .isInstanceOf(BuiltinError.class)
                .hasMessageContaining("tokens");
    }

    @Test
    void templateMatchAnchorsLiteralTextAndChecksDelimiters() {
        assertThat(callJson("regex.template_match", "\"id-{[0-9]+}.json\"", "\"id-42.json\"", "\"{\"", "\"}\""))
                .isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("regex.template_match", "\"id-{[0-9]+}.json\"", "\"id-42xjson\"", "\"{\"", "\"}\""))
                .isEqualTo(BooleanValue.FALSE);
        assertJsonError("regex.template_match", "\"a{b\"", "\"ab\"", "\"{\"", "\"}\"")
                .isInstanceOf(BuiltinError.class)
                .hasMessage("unbalanced braces in \"a{b\"");
        assertJsonError("regex.template_match", "\"a\"", "\"a\"", "\"<<\"", "\">\"")
                .isInstanceOf(BuiltinError.class)
                .hasMessage("start delimiter has to be exactly one character long but is 2 long");
    }

    private static String render(String template, String vars) {
        return ((StringValue) callJson("strings.render_template", GoQuoteJson.of(template), vars)).value();
    }

    /** JSON string literal of a Java string. */
    private static final class GoQuoteJson {
        static String of(String s) {
            return io.opsmcp.rego.value.Values.toJsonString(StringValue.of(s));
        }
    }

    @Test
    void renderTemplateCoversControlFlowFunctionsAndGoNumbers() {
        String vars = "{\"users\": [{\"name\": \"ana\", \"admin\": true}, {\"name\": \"bo\", \"admin\": false}],"
                + " \"n\": 1e21, \"half\": 0.5, \"count\": 100, \"tags\": {\"b\": 2, \"a\": 1}}";
        assertThat(render(
                        "{{range $i, $u := .users}}{{if $i}}, {{end}}{{$u.name}}"
                                + "{{if $u.admin}}*{{else if eq $u.name \"bo\"}}!{{end}}{{end}}",
                        vars))
                .isEqualTo("ana*, bo!");
        assertThat(render("{{.n}} {{.half}} {{.count}} {{len .users}} {{index .tags \"b\"}}", vars))
                .isEqualTo("1e+21 0.5 100 2 2");
        assertThat(render("{{- /* note */ -}}  {{printf \"%s=%d\" \"x\" 3}}  {{- \"!\" }}", vars))
                .isEqualTo("x=3!");
        assertThat(render("{{range .tags}}{{.}}{{end}}|{{range .none}}x{{else}}empty{{end}}", vars))
                .isEqualTo("12|empty");
        assertThat(render("{{$x := 1}}{{with .users}}{{len .}}{{end}}{{.missing}}{{.missing.deeper}}", vars))
                .isEqualTo("2<undefined><undefined>");
        assertJsonError("strings.render_template", "\"{{template \\\"x\\\"}}\"", "{}")
                .isInstanceOf(BuiltinError.class);
        assertJsonError("strings.render_template", "\"{{if .a}}\"", "{}")
                .isInstanceOf(BuiltinError.class)
                .hasMessageContaining("unexpected EOF");
        assertJsonError("strings.render_template", "\"{{nosuchfn 1}}\"", "{}")
                .isInstanceOf(BuiltinError.class)
                .hasMessageContaining("function \"nosuchfn\" not defined");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void runawayTemplatesStop() {
        String thousand = "[" + "0,".repeat(999) + "0]";
        assertThatThrownBy(() -> render(
                        "{{range .a}}{{range $.a}}{{range $.a}}x{{end}}{{end}}{{end}}", "{\"a\": " + thousand + "}"))
                .isInstanceOf(BuiltinError.class)
                .hasMessageContaining("steps");
        // Numbers reach templates as float64, which Go cannot range over.
        assertThatThrownBy(() -> render("{{range .n}}x{{end}}", "{\"n\": 3}"))
                .isInstanceOf(BuiltinError.class)
                .hasMessageContaining("range can't iterate over 3");
        String twoThousand = "[" + "0,".repeat(1999) + "0]";
        assertThatThrownBy(() -> render(
                        "{{range .n}}{{$.big}}{{end}}",
                        "{\"n\": " + twoThousand + ", \"big\": \"" + "y".repeat(1000) + "\"}"))
                .isInstanceOf(BuiltinError.class)
                .hasMessageContaining("output exceeds");
        String nested = "{{if true}}".repeat(500) + "{{end}}".repeat(500);
        assertThatThrownBy(() -> render(nested, "{}"))
                .isInstanceOf(BuiltinError.class)
                .hasMessageContaining("nested too deeply");
    }
}
