package io.opsmcp.guard.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.DoubleNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class CanonicalJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** RFC 8785 section 3.2.2 (whitespace, literals, numbers, strings). */
    @Test
    void rfc8785SampleIsCanonicalised() {
        JsonNode input = JSON.readTree("""
                {
                  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
                  "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
                  "literals": [null, true, false]
                }""");

        assertThat(CanonicalJson.canonicalize(input))
                .isEqualTo("{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                        + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    /** RFC 8785 section 3.2.3: members sorted by UTF-16 code units, not by code point or locale. */
    @Test
    void rfc8785SortingExample() {
        JsonNode input = JSON.readTree("""
                {
                  "\\u20ac": "Euro Sign",
                  "\\r": "Carriage Return",
                  "\\ufb33": "Hebrew Letter Dalet With Dagesh",
                  "1": "One",
                  "\\ud83d\\ude00": "Emoji: Grinning Face",
                  "\\u0080": "Control",
                  "\\u00f6": "Latin Small Letter O With Diaeresis"
                }""");

        assertThat(CanonicalJson.canonicalize(input))
                .isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\","
                        + "\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                        + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    /** RFC 8785 appendix B: IEEE 754 bit patterns and their ECMAScript serialisation. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0000000000000000, 0",
        "8000000000000000, 0",
        "0000000000000001, 5e-324",
        "8000000000000001, -5e-324",
        "7fefffffffffffff, 1.7976931348623157e+308",
        "4340000000000000, 9007199254740992",
        "c340000000000000, -9007199254740992",
        "4430000000000000, 295147905179352830000",
        "44b52d02c7e14af5, 9.999999999999997e+22",
        "44b52d02c7e14af6, 1e+23",
        "44b52d02c7e14af7, 1.0000000000000001e+23",
        "444b1ae4d6e2ef4e, 999999999999999700000",
        "444b1ae4d6e2ef4f, 999999999999999900000",
        "444b1ae4d6e2ef50, 1e+21",
        "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
        "3eb0c6f7a0b5ed8d, 0.000001",
        "41b3de4355555553, 333333333.3333332",
        "41b3de4355555554, 333333333.33333325",
        "41b3de4355555555, 333333333.3333333",
        "41b3de4355555556, 333333333.3333334",
        "41b3de4355555557, 333333333.33333343",
        "becbf647612f3696, -0.0000033333333333333333",
        "43143ff3c1cb0959, 1424953923781206.2",
    })
    void numbersAreSerialisedAsEcmaScriptDoes(String ieeeHex, String expected) {
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(ieeeHex, 16));

        assertThat(CanonicalJson.canonicalize(DoubleNode.valueOf(value))).isEqualTo(expected);
    }

    @Test
    void integralAndDecimalNodesCanonicaliseLikeTheirDoubleValue() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        assertThat(CanonicalJson.canonicalize(f.arrayNode()
                        .add(1)
                        .add(1L << 40)
                        .add(new BigDecimal("4.50"))
                        .add(new BigDecimal("1E+2"))
                        .add(-0.0)))
                .isEqualTo("[1,1099511627776,4.5,100,0]");
    }

    @Test
    void memberOrderAndWhitespaceDoNotChangeTheDigest() {
        JsonNode a = JSON.readTree("{\"b\": [true, null, \"é\"], \"a\": 2}");
        JsonNode b = JSON.readTree("{\"a\":2.0,\"b\":[true,null,\"\\u00e9\"]}");

        // sha256sum of the UTF-8 bytes of {"a":2,"b":[true,null,"é"]}
        assertThat(CanonicalJson.sha256Hex(a))
                .isEqualTo("061aa69a3eb528e5440c1711c64133102eebba019f94229fdbd9dee4dd76aa68")
                .isEqualTo(CanonicalJson.sha256Hex(b));
        assertThat(CanonicalJson.sha256Hex(JSON.readTree("{\"a\":3,\"b\":[true,null,\"é\"]}")))
                .isNotEqualTo(CanonicalJson.sha256Hex(a));
    }

    @Test
    void nestedObjectsAreSortedAtEveryLevel() {
        ObjectNode inner = JsonNodeFactory.instance.objectNode().put("z", 1).put("a", "x");
        ObjectNode outer = JsonNodeFactory.instance.objectNode();
        outer.set("y", JsonNodeFactory.instance.arrayNode().add(inner).add("s"));
        outer.put("b", false);

        assertThat(CanonicalJson.canonicalize(outer)).isEqualTo("{\"b\":false,\"y\":[{\"a\":\"x\",\"z\":1},\"s\"]}");
    }

    @Test
    void nullAndMissingAreJsonNull() {
        assertThat(CanonicalJson.canonicalize(null)).isEqualTo("null");
        assertThat(CanonicalJson.canonicalize(JsonNodeFactory.instance.missingNode()))
                .isEqualTo("null");
    }

    @Test
    void nanIsRejected() {
        assertThatThrownBy(() -> CanonicalJson.canonicalize(DoubleNode.valueOf(Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("canonicalise");
    }

    /** A non-finite number anywhere in the tree, also after other members and beside a POJO node, is refused. */
    @Test
    void nonFiniteNumbersDeepInTheTreeAreRejected() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        List<JsonNode> trees = List.of(
                f.objectNode().put("a", "x").set("z", f.arrayNode().add(1).add(Double.POSITIVE_INFINITY)),
                f.arrayNode().add(f.objectNode().put("n", Float.NaN)),
                f.objectNode().putPOJO("a", new Object()).put("b", Double.NEGATIVE_INFINITY),
                f.objectNode().put("b", Double.NaN).putPOJO("c", new Object()));
        for (JsonNode tree : trees) {
            assertThatThrownBy(() -> CanonicalJson.canonicalize(tree))
                    .as(tree.toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a JSON number");
        }
    }

    /**
     * The tree is written straight to canonical form; records already in audit logs were hashed by way of Jackson's
     * text and the reference canonicaliser's parser. Both must agree on every tree, or old chains stop verifying:
     * random trees with every string escape, control characters, surrogates (paired and lone), and every Jackson
     * number kind at awkward values.
     */
    @Test
    void directFormEqualsTheReferenceParserOnRandomTrees() {
        java.util.Random random = new java.util.Random(16);
        for (int i = 0; i < 3000; i++) {
            JsonNode tree = randomValue(random, 0);
            assertThat(CanonicalJson.canonicalize(tree)).as(tree.toString()).isEqualTo(CanonicalJson.viaText(tree));
        }
    }

    private static final String CHARS =
            "aZ09 \"\\/\b\f\n\r\t\u0000\u0001\u001f\u007f\u0080\u00e9\u2028\u20ac\ud83d\ude00\ud800\udfff\ufb33";

    static JsonNode randomValue(java.util.Random r, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        int kind = r.nextInt(depth > 3 ? 10 : 12);
        return switch (kind) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(r.nextBoolean());
            case 2 -> f.numberNode(r.nextInt());
            case 3 -> f.numberNode(r.nextBoolean() ? r.nextLong() : (1L << 53) + r.nextInt(1000));
            case 4 -> {
                double d = Double.longBitsToDouble(r.nextLong());
                yield f.numberNode(Double.isFinite(d) ? d : r.nextDouble() * 1e-300);
            }
            case 5 -> f.numberNode(r.nextFloat() * (r.nextBoolean() ? 1e30f : 1e-30f));
            case 6 -> f.numberNode(new BigDecimal(r.nextLong()).movePointLeft(r.nextInt(40) - 20));
            case 7 -> f.numberNode(new java.math.BigInteger(100, r));
            case 8, 9 -> f.stringNode(randomString(r));
            case 10 -> {
                var array = f.arrayNode();
                for (int n = r.nextInt(4); n > 0; n--) {
                    array.add(randomValue(r, depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = f.objectNode();
                for (int n = r.nextInt(5); n > 0; n--) {
                    object.set(randomString(r), randomValue(r, depth + 1));
                }
                yield object;
            }
        };
    }

    static String randomString(java.util.Random r) {
        StringBuilder sb = new StringBuilder();
        for (int n = r.nextInt(8); n > 0; n--) {
            sb.append(CHARS.charAt(r.nextInt(CHARS.length())));
        }
        return sb.toString();
    }
}
