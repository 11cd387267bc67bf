package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.BuiltinTestSupport.assertJsonError;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.callJson;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.rego.value.BooleanValue;
import org.junit.jupiter.api.Test;

/** Objects, json.filter/remove/patch, regex, glob and walk. */
class CollectionBuiltinsTest {

    @Test
    void objectBuiltins() {
        assertThat(callJson("object.get", "{\"a\":{\"b\":\"c\"}}", "\"b\"", "true"))
                .isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("object.get", "{\"a\":{\"b\":[1,2]}}", "[\"a\",\"b\",1]", "0"))
                .isEqualTo(json("2"));
        assertThat(callJson("object.remove", "{\"a\":1,\"b\":{\"c\":3},\"d\":4}", "{\"b\":1,\"d\":\"\"}"))
                .isEqualTo(json("{\"a\":1}"));
        assertThat(callJson("object.filter", "{\"a\":{\"b\":1},\"e\":9}", "[\"a\"]"))
                .isEqualTo(json("{\"a\":{\"b\":1}}"));
        assertJsonError("object.filter", "{\"a\":1}", "\"foo\"")
                .hasMessage("operand 2 must be one of {object, set, array} but got string");
        assertThat(callJson("object.union", "{\"a\":1}", "{\"a\":{\"b\":{\"c\":1}},\"d\":7}"))
                .isEqualTo(json("{\"a\":{\"b\":{\"c\":1}},\"d\":7}"));
        assertThat(callJson("object.union_n", "[{\"a\":{\"b\":2}},{\"a\":4},{\"a\":{\"c\":3}}]"))
                .isEqualTo(json("{\"a\":{\"c\":3}}"));
        assertJsonError("object.union", "{\"a\":1}", "[1]").hasMessage("operand 2 must be object but got array");
        assertThat(callJson("object.subset", "{\"a\":{\"b\":1,\"c\":2}}", "{\"a\":{\"b\":1}}"))
                .isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("object.subset", "[1,2,3,4]", "[2,3]")).isEqualTo(BooleanValue.TRUE);
    }

    @Test
    void jsonFilterAndRemove() {
        assertThat(callJson("json.filter", "{\"a\":[{\"b\":7,\"c\":8},{\"d\":9}]}", "[\"a/0/b\",\"a/1\"]"))
                .isEqualTo(json("{\"a\":[{\"b\":7},{\"d\":9}]}"));
        assertThat(callJson(
                        "json.filter",
                        "{\"a\":{\"b\":{\"c\":7,\"d\":8,\"x\":0}},\"e\":9}",
                        "[\"a/b/d\",[\"a\",\"b\",\"c\"]]"))
                .isEqualTo(json("{\"a\":{\"b\":{\"c\":7,\"d\":8}}}"));
        assertThat(callJson("json.remove", "{\"a\":{\"b\":7},\"c\":1}", "[\"a\",\"a/b\"]"))
                .isEqualTo(json("{\"c\":1}"));
        assertJsonError("json.remove", "[\"a\"]", "[\"a\"]").hasMessage("operand 1 must be object but got array");
    }

    @Test
    void jsonPatch() {
        assertThat(callJson(
                        "json.patch",
                        "{\"foo\":[\"bar\",\"baz\"]}",
                        "[{\"op\":\"add\",\"path\":\"/foo/1\",\"value\":\"qux\"}]"))
                .isEqualTo(json("{\"foo\":[\"bar\",\"qux\",\"baz\"]}"));
        assertThat(callJson(
                        "json.patch",
                        "{\"foo\":{\"waldo\":\"fred\"},\"qux\":{}}",
                        "[{\"op\":\"move\",\"from\":\"/foo/waldo\",\"path\":\"/qux/thud\"}]"))
                .isEqualTo(json("{\"foo\":{},\"qux\":{\"thud\":\"fred\"}}"));
        assertThat(callJson("json.patch", "{\"/\":9,\"~1\":10}", "[{\"op\":\"test\",\"path\":\"/~01\",\"value\":10}]"))
                .isEqualTo(json("{\"/\":9,\"~1\":10}"));
        assertThat(callJson("json.patch", "[1,2]", "[{\"op\":\"add\",\"path\":\"/-\",\"value\":3}]"))
                .isEqualTo(json("[1,2,3]"));
        assertThat(callJson(
                        "json.patch",
                        "{\"foo\":\"bar\"}",
                        "[{\"op\":\"replace\",\"path\":\"\",\"value\":{\"baz\":\"qux\"}}]"))
                .isEqualTo(json("{\"baz\":\"qux\"}"));
        assertThat(callJson(
                        "json.patch", "[\"foo\",\"bar\"]", "[{\"op\":\"test\",\"path\":\"/01\",\"value\":\"bar\"}]"))
                .isNull();
        assertThat(callJson(
                        "json.patch", "{\"baz\":\"qux\"}", "[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"bar\"}]"))
                .isNull();
        assertThat(callJson("json.patch", "[1,2,3]", "[{\"op\":\"add\",\"path\":\"1.2\",\"value\":\"foo\"}]"))
                .isNull();
    }

    @Test
    void regexBuiltins() {
        assertThat(callJson("regex.match", "\"^[a-z]+\\\\[[0-9]+\\\\]$\"", "\"foo[1]\""))
                .isEqualTo(BooleanValue.TRUE);
        assertJsonError("regex.match", "\"$^[[[\"", "\"x\"").isInstanceOf(BuiltinError.class);
        assertThat(callJson("regex.split", "\"^[a-z]+\"", "\"foobar baz\"")).isEqualTo(json("[\"\",\" baz\"]"));
        assertThat(callJson("regex.split", "\"[a-z]+$\"", "\"foobar baz\"")).isEqualTo(json("[\"foobar \",\"\"]"));
        assertThat(callJson("regex.split", "\"^[a-z ]+$\"", "\"foobar baz\"")).isEqualTo(json("[\"\",\"\"]"));
        assertThat(callJson("regex.split", "\"a\"", "\"banana\"")).isEqualTo(json("[\"b\",\"n\",\"n\",\"\"]"));
        assertThat(callJson("regex.find_n", "\"a.\"", "\"banana\"", "-1")).isEqualTo(json("[\"an\",\"an\"]"));
        assertThat(callJson("regex.find_n", "\"x*\"", "\"axxb\"", "-1")).isEqualTo(json("[\"\",\"xx\",\"\"]"));
        assertThat(callJson("regex.find_all_string_submatch_n", "\"a(x*)b\"", "\"-ab-axxb-\"", "-1"))
                .isEqualTo(json("[[\"ab\",\"\"],[\"axxb\",\"xx\"]]"));
        assertThat(callJson("regex.replace", "\"-ab-axxb-\"", "\"a(x*)b\"", "\"${1}W\""))
                .isEqualTo(json("\"-W-xxW-\""));
        assertThat(callJson("regex.replace", "\"-ab-axxb-\"", "\"a(x*)b\"", "\"$1W\""))
                .isEqualTo(json("\"---\""));
        assertThat(callJson("regex.is_valid", "\"[\"")).isEqualTo(BooleanValue.FALSE);
    }

    @Test
    void globMatch() {
        assertThat(callJson("glob.match", "\"*:github:com\"", "[\":\"]", "\"api:github:com\""))
                .isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("glob.match", "\"[!abc]at\"", "[]", "\"fat\"")).isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("glob.match", "\"?at\"", "[\"f\"]", "\"fat\"")).isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("glob.match", "\"a/**/b\"", "null", "\"a/b\"")).isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("glob.match", "\"a/**/b\"", "null", "\"a//b\"")).isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("glob.match", "\"**/x\"", "null", "\"x\"")).isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("glob.match", "\"{**/,}x\"", "null", "\"x\"")).isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("glob.match", "\"***\"", "[\".\"]", "\"\"")).isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("glob.match", "\"*?*\"", "[\".\",\"/\"]", "\"api.github.com\""))
                .isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("glob.match", "\"*\"", "[\".\",\"/\"]", "\"a/b\"")).isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("glob.match", "\"\\\\*\"", "null", "\"*\"")).isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("glob.match", "\"\\\\*\"", "null", "\"a\"")).isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("glob.match", "\"*.github.com\"", "[]", "\"api.cdn.github.com\""))
                .isEqualTo(BooleanValue.FALSE);
        assertJsonError("glob.match", "\"[\"", "[]", "\"a\"").isInstanceOf(BuiltinError.class);
        assertThat(callJson("glob.quote_meta", "\"*.github.com\"")).isEqualTo(json("\"\\\\*.github.com\""));
    }

    @Test
    void walkVisitsEveryNodeWithItsPath() {
        assertThat(callJson("walk", "{\"v1\":\"hello\",\"v2\":[1]}"))
                .isEqualTo(json(
                        "[[[],{\"v1\":\"hello\",\"v2\":[1]}],[[\"v1\"],\"hello\"],[[\"v2\"],[1]],[[\"v2\",0],1]]"));
    }
}
