package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.BuiltinTestSupport.assertJsonError;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.callJson;
import static io.opsmcp.rego.builtins.BuiltinTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.rego.value.BooleanValue;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.StringValue;
import org.junit.jupiter.api.Test;

class StringBuiltinsTest {

    private static StringValue s(String v) {
        return StringValue.of(v);
    }

    @Test
    void indexOfCountsRunes() {
        assertThat(callJson("indexof", "\"μx\"", "\"x\"")).isEqualTo(NumberValue.of(1));
        assertThat(callJson("indexof", "\"skön var våren\"", "\"vår\"")).isEqualTo(NumberValue.of(9));
        assertThat(callJson("indexof", "\"μ\"", "\"μμ\"")).isEqualTo(NumberValue.of(-1));
        assertThat(callJson("indexof", "\"\\ud83c\\udf67\\ud83c\\udf6e\"", "\"\\ud83c\\udf6e\""))
                .isEqualTo(NumberValue.of(1));
        assertThat(callJson("indexof_n", "\"abab\"", "\"ab\"")).isEqualTo(json("[0,2]"));
        assertJsonError("indexof", "\"a\"", "\"\"")
                .isInstanceOf(BuiltinError.class)
                .hasMessage("empty search character");
    }

    @Test
    void substringClampsAndRejectsNegativeOffset() {
        assertThat(callJson("substring", "\"aaa\"", "4", "-1")).isEqualTo(s(""));
        assertThat(callJson("substring", "\"åäö\"", "1", "1")).isEqualTo(s("ä"));
        assertThat(callJson("substring", "\"abcdef\"", "2", "-1")).isEqualTo(s("cdef"));
        assertJsonError("substring", "\"abc\"", "-1", "1")
                .isInstanceOf(BuiltinError.class)
                .hasMessage("negative offset");
        assertJsonError("substring", "\"abc\"", "1.5", "1")
                .isInstanceOf(BuiltinTypeError.class)
                .hasMessage("operand 2 must be integer number but got floating-point number");
    }

    @Test
    void trimFamilyUsesCutsets() {
        assertThat(callJson("trim", "\"¡¡¡foo, bar!!!\"", "\"i\"")).isEqualTo(s("¡¡¡foo, bar!!!"));
        assertThat(callJson("trim", "\"¡¡¡foo, bar!!!\"", "\"!¡\"")).isEqualTo(s("foo, bar"));
        assertThat(callJson("trim_left", "\"!!!foo\"", "\"!\"")).isEqualTo(s("foo"));
        assertThat(callJson("trim_right", "\"foo!!\"", "\"!\"")).isEqualTo(s("foo"));
        assertThat(callJson("trim_prefix", "\"¡¡¡foo, bar!!!\"", "\"¡¡¡foo\"")).isEqualTo(s(", bar!!!"));
        assertThat(callJson("trim_suffix", "\"foo.bar\"", "\".bar\"")).isEqualTo(s("foo"));
        assertThat(callJson("trim_space", "\" \\t foo \\n\"")).isEqualTo(s("foo"));
    }

    @Test
    void splitAndSplitN() {
        assertThat(callJson("split", "\"a.b.c\"", "\".\"")).isEqualTo(json("[\"a\",\"b\",\"c\"]"));
        assertThat(callJson("split", "\"abc\"", "\"\"")).isEqualTo(json("[\"a\",\"b\",\"c\"]"));
        assertThat(callJson("strings.split_n", "\"a.b.c.d\"", "\".\"", "2")).isEqualTo(json("[\"a\",\"b\"]"));
        assertThat(callJson("strings.split_n", "\"a.b.c.d\"", "\".\"", "-2")).isEqualTo(json("[\"c\",\"d\"]"));
        assertThat(callJson("strings.split_n", "\"a.b.c.d\"", "\".\"", "0")).isEqualTo(json("[]"));
        assertThat(callJson("strings.split_n", "\"abc\"", "\"\"", "-2")).isEqualTo(json("[\"b\",\"c\"]"));
        assertThat(callJson("strings.split_n", "\"\"", "\".\"", "2")).isEqualTo(json("[\"\"]"));
        assertJsonError("strings.split_n", "\"a.b\"", "\".\"", "1.5")
                .hasMessage("operand 3 must be integer number but got floating-point number");
    }

    @Test
    void replaceNFollowsGoReplacer() {
        assertThat(callJson("strings.replace_n", "{\"info\":\"X\",\"anotherinfo\":\"Y\"}", "\"anotherinfo\""))
                .isEqualTo(s("Y"));
        assertThat(callJson("strings.replace_n", "{\"a\":\"YY\",\"bba\":\"bX\"}", "\"bbab\""))
                .isEqualTo(s("bXb"));
        assertThat(callJson("strings.replace_n", "{\"ab\":\"b\",\"b\":\"Y\"}", "\"baaabbbba\""))
                .isEqualTo(s("YaabYYYa"));
        assertThat(callJson("strings.replace_n", "{\"a\":\"b\",\"b\":\"a\"}", "\"abba\""))
                .isEqualTo(s("baab"));
        assertThat(callJson(
                        "strings.replace_n", "{\"a\":\"Xa\",\"ab\":\"X\",\"ba\":\"bYa\",\"aaa\":\"X\"}", "\"aaaaab\""))
                .isEqualTo(s("XaXaXaXaXab"));
        assertThat(callJson("strings.replace_n", "{\"aab\":\"Y\",\"a\":\"\",\"b\":\"\"}", "\"bbaab\""))
                .isEqualTo(s(""));
        assertThat(callJson("strings.replace_n", "{\"\":\"X\"}", "\"\"")).isEqualTo(s("X"));
        assertThat(callJson("strings.replace_n", "{\"\":\"X\"}", "\"ab\"")).isEqualTo(s("XaXbX"));
        assertThat(callJson("strings.replace_n", "{\"\":\"X\",\"a\":\"Y\"}", "\"ab\""))
                .isEqualTo(s("XYXbX"));
        assertThat(callJson("strings.replace_n", "{\"\":\"-\",\"é\":\"e\"}", "\"aéb\""))
                .isEqualTo(s("-a-e-b-"));
        assertThat(callJson("replace", "\"foo.bar\"", "\".\"", "\"/\"")).isEqualTo(s("foo/bar"));
    }

    @Test
    void replaceNRejectsNonStringPatternsAsTypeErrors() {
        assertJsonError("strings.replace_n", "{\"f\":100}", "\"foo\"")
                .isInstanceOf(BuiltinTypeError.class)
                .hasMessage("operand 1 non-string value found in pattern object");
        assertJsonError("strings.replace_n", "{\"foo\":\"baz\"}", "100")
                .isInstanceOf(BuiltinTypeError.class)
                .hasMessage("operand 2 must be string but got number");
    }

    @Test
    void anyPrefixAndSuffixMatch() {
        assertThat(callJson("strings.any_prefix_match", "[\"a/b/c\",\"e/f/g\"]", "[\"d/\",\"e/f/g\"]"))
                .isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("strings.any_prefix_match", "[\"aa/bb/cc\"]", "[\"a/b\"]"))
                .isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("strings.any_suffix_match", "\"a/b/c\"", "[\"/c\",\"/a\"]"))
                .isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("strings.any_suffix_match", "[]", "[\"/c\"]")).isEqualTo(BooleanValue.FALSE);
        assertJsonError("strings.any_suffix_match", "[1,2]", "[\"f/\"]")
                .hasMessage("operand 1 must be array of strings but got array containing number");
        assertJsonError("strings.any_suffix_match", "1", "[\"f/\"]")
                .hasMessage("operand 1 must be one of {string, set, array} but got number");
    }

    @Test
    void formatIntTruncatesAndChecksBase() {
        assertThat(callJson("format_int", "15.5", "16")).isEqualTo(s("f"));
        assertThat(callJson("format_int", "-10", "2")).isEqualTo(s("-1010"));
        assertJsonError("format_int", "1", "3")
                .isInstanceOf(BuiltinTypeError.class)
                .hasMessage("operand 2 must be one of {2, 8, 10, 16}");
    }

    @Test
    void misc() {
        assertThat(callJson("concat", "\",\"", "[\"a\",\"b\"]")).isEqualTo(s("a,b"));
        assertJsonError("concat", "\",\"", "[\"a\",1]")
                .hasMessage("operand 2 must be array of strings but got array containing number");
        assertThat(callJson("lower", "\"ÅB\"")).isEqualTo(s("åb"));
        assertThat(callJson("upper", "\"åb\"")).isEqualTo(s("ÅB"));
        assertThat(callJson("strings.reverse", "\"ab\\ud83c\\udf6e\"")).isEqualTo(s("\ud83c\udf6eba"));
        assertThat(callJson("strings.count", "\"cheese\"", "\"e\"")).isEqualTo(NumberValue.of(3));
        assertThat(callJson("contains", "\"abc\"", "\"b\"")).isEqualTo(BooleanValue.TRUE);
        assertThat(callJson("startswith", "\"abc\"", "\"b\"")).isEqualTo(BooleanValue.FALSE);
        assertThat(callJson("endswith", "\"abc\"", "\"bc\"")).isEqualTo(BooleanValue.TRUE);
    }
}
