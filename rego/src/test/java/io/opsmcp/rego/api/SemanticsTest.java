package io.opsmcp.rego.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.rego.RegoException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** OPA semantics the engine once got wrong, each checked on the fast and on the general path. */
class SemanticsTest {
    private static final JsonMapper M = JsonMapper.builder().build();

    private static JsonNode json(String s) {
        return M.readTree(s);
    }

    /** The document at {@code ref} of one module, evaluated on both paths (which must agree). */
    private static Optional<JsonNode> eval(String module, String ref, String input) {
        CompiledPolicy p = Rego.compile(Map.of("t.rego", module), null);
        var in = input == null ? null : io.opsmcp.rego.value.Values.fromJson(json(input));
        var fast = p.evalDocument(ref, in, EvalSettings.DEFAULT).map(io.opsmcp.rego.value.Values::toJson);
        var general =
                p.evalDocument(ref, in, new EvalSettings(null, null, 0, true)).map(io.opsmcp.rego.value.Values::toJson);
        assertThat(general).as("general path").isEqualTo(fast);
        return fast;
    }

    @Test
    void everyOverANonCollectionIsUndefined() {
        String m = """
        package t
        allow if {
          every r in input.roles { r == "admin" }
        }
        """;
        assertThat(eval(m, "data.t.allow", "{\"roles\":\"admin\"}")).isEmpty();
        assertThat(eval(m, "data.t.allow", "{\"roles\":42}")).isEmpty();
        assertThat(eval(m, "data.t.allow", "{\"roles\":null}")).isEmpty();
        assertThat(eval(m, "data.t.allow", "{\"roles\":[]}")).contains(json("true"));
        assertThat(eval(m, "data.t.allow", "{\"roles\":{}}")).contains(json("true"));
        assertThat(eval(m, "data.t.allow", "{\"roles\":[\"admin\"]}")).contains(json("true"));
        assertThat(eval(m, "data.t.allow", "{\"roles\":[\"admin\",\"x\"]}")).isEmpty();
        String neg = """
        package t
        all_true if { every x in "abc" { x } }
        p if { not all_true }
        """;
        assertThat(eval(neg, "data.t.p", null)).contains(json("true"));
    }

    /** All rows of a query over several modules, on both paths. */
    private static QueryResult query(String q, String... modules) {
        Map<String, String> mods = new java.util.LinkedHashMap<>();
        for (int i = 0; i < modules.length; i++) {
            mods.put("m" + i + ".rego", modules[i]);
        }
        CompiledPolicy p = Rego.compile(mods, null);
        QueryResult fast = p.eval(q, null, EvalSettings.DEFAULT);
        QueryResult general = p.eval(q, null, new EvalSettings(null, null, 0, true));
        assertThat(general.bindings()).as("general path").isEqualTo(fast.bindings());
        return fast;
    }

    @Test
    void anEmptyPackageIsAnEmptyObjectInData() {
        QueryResult r = query("x := data.a", "package a.b\n", "package a.c\nq := 1\n");
        assertThat(r.json(0)).containsEntry("x", json("{\"b\":{},\"c\":{\"q\":1}}"));
        r = query("x := data.p", "package a.b\n", "package p\nv := data.a.b\n");
        assertThat(r.json(0)).containsEntry("x", json("{\"v\":{}}"));
    }

    @Test
    void setRulesAtOnePathMergeAcrossGeneralAndPlainRefHeads() {
        String m = """
        package t
        p[q].r contains s if {
          some q in ["a", "b"]
          some s in ["a", "b"]
          q != s
        }
        p.b.r contains "foo"
        """;
        assertThat(query("x := data.t.p", m).json(0))
                .containsEntry("x", json("{\"a\":{\"r\":[\"b\"]},\"b\":{\"r\":[\"a\",\"foo\"]}}"));
        assertThat(query("data.t.p.b.r[x]", m).size()).isEqualTo(2);
    }

    @Test
    void rulesReachingInsideAnotherRulesValueConflict() {
        String deep = """
        package t
        p[q].r := {"s": {"t": 1}} if q := "q"
        p.q.r.s.u := 42
        """;
        assertThatThrownBy(() -> query("x := data.t.p", deep))
                .isInstanceOf(RegoException.class)
                .extracting(e -> ((RegoException) e).code())
                .isEqualTo("eval_conflict_error");
        String sameKey = """
        package t
        p.q.r := 1
        p.q[s] := 2 if s := "r"
        """;
        assertThatThrownBy(() -> query("x := data.t.p.q", sameKey))
                .isInstanceOf(RegoException.class)
                .hasMessageContaining("object keys must be unique");
        String disjoint = """
        package t
        p[q].r := 1 if q := "a"
        p.b.r := 2
        """;
        assertThat(query("x := data.t.p", disjoint).json(0))
                .containsEntry("x", json("{\"a\":{\"r\":1},\"b\":{\"r\":2}}"));
    }

    @Test
    void aRefInACallArgumentBindsAVariableUsedAsAnotherArgument() {
        String m = """
        package t
        p := foo if {
          some foo
          foo == input.foos[foo]
        }
        """;
        assertThat(eval(m, "data.t.p", "{\"foos\":[2,1,0]}")).contains(json("1"));
        assertThat(eval(m, "data.t.p", "{\"foos\":[\"foo\"]}")).isEmpty();
    }

    @Test
    void objectsUnifyOnTheSameVariableKey() {
        String m = """
        package t
        p[k] := v if {
          some k
          x := input[k]
          {k: [x]} = {k: [v]}
        }
        """;
        assertThat(eval(m, "data.t.p", "{\"a\":1,\"b\":2}")).contains(json("{\"a\":1,\"b\":2}"));
    }

    @Test
    void notWithABodyUnderRegoV2() {
        String m = """
        package t
        import rego.v2
        default p := false
        p if {
          not { input.a; input.b }
        }
        """;
        assertThat(eval(m, "data.t.p", "{\"a\":true,\"b\":false}")).contains(json("true"));
        assertThat(eval(m, "data.t.p", "{\"a\":true,\"b\":true}")).contains(json("false"));
        assertThat(eval(m, "data.t.p", "{}")).contains(json("true"));
    }

    private static JsonNode value(String expr) {
        return query("x := " + expr, "package t\n").json(0).get("x");
    }

    @Test
    void objectSubsetFollowsOpaForArraysAndSets() {
        assertThat(value("object.subset([1, 2, 3], {1, 3})")).isEqualTo(json("true"));
        assertThat(value("object.subset([1, 2], {1, 3})")).isEqualTo(json("false"));
        assertThat(value("object.subset([], set())")).isEqualTo(json("false"));
        assertThat(value("object.subset({\"a\": {\"b\": [1, 2, 3]}}, {\"a\": {\"b\": [2, 3]}})"))
                .isEqualTo(json("true"));
        assertThatThrownBy(() -> Rego.builder()
                        .strictBuiltinErrors(true)
                        .build(Map.of("t.rego", "package t\n"), (JsonNode) null)
                        .eval("x := object.subset({1}, [1])", null, EvalSettings.DEFAULT))
                .isInstanceOf(RegoException.class)
                .hasMessageContaining("must be of the same type or array and set");
    }

    @Test
    void jsonPatchReachesIntoASetMemberThroughAPath() {
        assertThat(value("json.patch({[1]}, [{\"op\": \"add\", \"path\": [[1], 1], \"value\": 2}])"))
                .isEqualTo(json("[[1,2]]"));
        assertThat(value("json.patch({\"a\": {[1, 2]}}, [{\"op\": \"remove\", \"path\": [\"a\", [1, 2], 0]}])"))
                .isEqualTo(json("{\"a\":[[2]]}"));
    }

    @Test
    void sprintfOfANumberBeyondFloat64KeepsItsText() {
        assertThat(value("sprintf(\"hi %v\", [2e308])")).isEqualTo(json("\"hi 2e308\""));
        assertThat(value("sprintf(\"%v\", [2e3])")).isEqualTo(json("\"2000\""));
    }

    @Test
    void messagesWordedAsOpa() {
        CompiledPolicy p =
                Rego.builder().strictBuiltinErrors(true).build(Map.of("t.rego", "package t\n"), (JsonNode) null);
        assertThatThrownBy(() -> p.eval("yaml.unmarshal(\"[1,2,3\", x)", null, EvalSettings.DEFAULT))
                .hasMessageContaining("yaml: line 1: did not find expected ',' or ']'");
        assertThatThrownBy(() -> p.eval("yaml.unmarshal(\"a: b: c\", x)", null, EvalSettings.DEFAULT))
                .hasMessageContaining("yaml: mapping values are not allowed in this context");
        assertThatThrownBy(() -> p.eval("json.marshal_with_options([], {\"bad\": 1}, x)", null, EvalSettings.DEFAULT))
                .hasMessageContaining("object contained unknown key \"bad\"");
    }

    @Test
    void metadataAnnotationsReachRegoMetadataChainAndRule() {
        String pkg = """
        # METADATA
        # scope: subpackages
        # title: root
        package a
        """;
        String m = """
        # METADATA
        # description: the package
        package a.b

        # METADATA
        # scope: document
        # title: doc
        p := 1 if false

        # METADATA
        # title: own
        # authors:
        # - Jane Doe <jane@example.com>
        p := rego.metadata.chain()

        q := rego.metadata.rule()
        """;
        QueryResult r = query("x := data.a.b.p", pkg, m);
        assertThat(r.json(0).get("x")).isEqualTo(json("""
        [{"path":["a","b","p"],"annotations":{"scope":"rule","title":"own",
          "authors":[{"name":"Jane Doe","email":"jane@example.com"}]}},
         {"path":["a","b","p"],"annotations":{"scope":"document","title":"doc"}},
         {"path":["a","b"],"annotations":{"scope":"package","description":"the package"}},
         {"path":["a"],"annotations":{"scope":"subpackages","title":"root"}}]"""));
        assertThat(query("x := data.a.b.q", pkg, m).json(0).get("x")).isEqualTo(json("{}"));
    }

    @Test
    void providersAwsSignReqMatchesTheAwsSigV4TestSuite() {
        // AWS SigV4 test suite, "get-vanilla": GET https://example.amazonaws.com/ at 20150830T123600Z
        JsonNode signed = value("""
        providers.aws.sign_req({"method": "GET", "url": "https://example.amazonaws.com/"},
          {"aws_access_key": "AKIDEXAMPLE", "aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
           "aws_service": "service", "aws_region": "us-east-1"}, 1440938160000000000)""");
        assertThat(signed.at("/headers/Authorization").asString())
                .isEqualTo("AWS4-HMAC-SHA256 "
                        + "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,SignedHeaders=host;x-amz-date,"
                        + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        assertThat(signed.at("/headers/x-amz-date").asString()).isEqualTo("20150830T123600Z");
        CompiledPolicy p =
                Rego.builder().strictBuiltinErrors(true).build(Map.of("t.rego", "package t\n"), (JsonNode) null);
        assertThatThrownBy(() -> p.eval(
                        "x := providers.aws.sign_req({}, {\"aws_service\": \"s3\", \"aws_access_key\": \"a\","
                                + " \"aws_secret_access_key\": \"b\", \"aws_region\": \"r\"}, 0)",
                        null,
                        EvalSettings.DEFAULT))
                .hasMessageContaining("operand 1 missing required request parameters(s): {\"method\", \"url\"}");
    }

    @Test
    void uuidParseDecodesLikeGoogleUuid() {
        String v1 = "c232ab00-9414-11ec-b3c8-9f6bdeced846";
        java.util.UUID j = java.util.UUID.fromString(v1);
        JsonNode p = value("uuid.parse(\"" + v1 + "\")");
        assertThat(p.get("version").asInt()).isEqualTo(1);
        assertThat(p.get("variant").asString()).isEqualTo("RFC4122");
        assertThat(p.get("time").asLong()).isEqualTo((j.timestamp() - 122192928000000000L) * 100);
        assertThat(p.get("clocksequence").asInt()).isEqualTo(j.clockSequence());
        assertThat(p.get("nodeid").asString()).isEqualTo("local:multicast:" + String.format("%012x", j.node()));
        assertThat(value("uuid.parse(\"{00000000-0000-4000-8000-000000000000}\")"))
                .isEqualTo(json("{\"version\":4,\"variant\":\"RFC4122\"}"));
        assertThat(query("x := uuid.parse(\"not-a-uuid\")", "package t\n").isEmpty())
                .isTrue();
    }

    @Test
    void regexGlobsMatchIntersectsPatterns() {
        assertThat(value("regex.globs_match(\"a.a.[0-9]+z\", \".b.b2359825792*594823z\")"))
                .isEqualTo(json("true"));
        assertThat(value("regex.globs_match(\"[a-z]+\", \"[0-9]*\")")).isEqualTo(json("false"));
        // only the empty string matches both, and the intersection is over non-empty strings (gintersect.NonEmpty)
        assertThat(value("regex.globs_match(\"a*\", \"b*\")")).isEqualTo(json("false"));
        assertThat(value("regex.globs_match(\"a+\", \"b*\")")).isEqualTo(json("false"));
        // gintersect's classes have no negation: `^` is one more member, so [^a] matches a
        assertThat(value("regex.globs_match(\"[^a]x\", \"ax\")")).isEqualTo(json("true"));
        assertThat(value("regex.globs_match(`[a-z]+\\[[0-9]+\\]`, \"foo\\\\[1\\\\]\")"))
                .isEqualTo(json("true"));
    }

    @Test
    void regoParseModuleGivesOpasAstShape() {
        JsonNode m = value("rego.parse_module(\"x.rego\", \"package foo.bar\\nimport data.a\\np if { a = true }\")");
        assertThat(m.at("/package/path"))
                .isEqualTo(
                        json(
                                "[{\"type\":\"var\",\"value\":\"data\"},{\"type\":\"string\",\"value\":\"foo\"},{\"type\":\"string\",\"value\":\"bar\"}]"));
        assertThat(m.at("/rules/0/head/name").asString()).isEqualTo("p");
        assertThat(m.at("/rules/0/body/0/terms/0"))
                .isEqualTo(json("{\"type\":\"ref\",\"value\":[{\"type\":\"var\",\"value\":\"eq\"}]}"));
        CompiledPolicy p =
                Rego.builder().strictBuiltinErrors(true).build(Map.of("t.rego", "package t\n"), (JsonNode) null);
        assertThatThrownBy(
                        () -> p.eval("rego.parse_module(\"x.rego\", \"package foo.\", x)", null, EvalSettings.DEFAULT))
                .isInstanceOf(RegoException.class)
                .hasMessageContaining("eval_builtin_error")
                .hasMessageContaining("rego_parse_error: unexpected eof token");
    }

    @Test
    void regexTemplateMatchTreatsDelimitedPartsAsRegexes() {
        assertThat(value("regex.template_match(\"urn:foo:<.*>\", \"urn:foo:bar:baz\", \"<\", \">\")"))
                .isEqualTo(json("true"));
        assertThat(value("regex.template_match(\"urn:foo.<[0-9]{2}>\", \"urn:fooX12\", \"<\", \">\")"))
                .isEqualTo(json("false"));
        assertThat(value("regex.template_match(\"urn:foo.<[0-9]{2}>\", \"urn:foo.12\", \"<\", \">\")"))
                .isEqualTo(json("true"));
        CompiledPolicy p =
                Rego.builder().strictBuiltinErrors(true).build(Map.of("t.rego", "package t\n"), (JsonNode) null);
        assertThatThrownBy(() ->
                        p.eval("regex.template_match(\"a<b\", \"ab\", \"<\", \">\", x)", null, EvalSettings.DEFAULT))
                .hasMessageContaining("unbalanced braces");
    }

    @Test
    void aNamedVariableOnlyInANegationIsUnsafe() {
        assertThatThrownBy(() -> Rego.compile(Map.of("t.rego", "package t\np if { not startswith(x, \"a\") }\n"), null))
                .isInstanceOf(RegoException.class)
                .hasMessageContaining("var x is unsafe");
        String wildcard = "package t\np if { not input.items[_] == \"a\" }\n";
        assertThat(eval(wildcard, "data.t.p", "{\"items\":[\"b\"]}")).contains(json("true"));
        assertThat(eval(wildcard, "data.t.p", "{\"items\":[\"a\"]}")).isEmpty();
    }
}
