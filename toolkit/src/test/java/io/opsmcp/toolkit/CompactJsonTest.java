package io.opsmcp.toolkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class CompactJsonTest {

    /** The mapper the server writes a tool's structured-content text block with (a default one). */
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Test
    void everyCharacterIsWrittenAsTheMapperWritesIt() {
        for (int c = 0; c <= 0xFFFF; c++) {
            String s = "a" + (char) c + "b";
            ObjectNode tree = F.objectNode().put(s, s);
            assertThat(CompactJson.write(tree)).as("U+%04X", c).isEqualTo(MAPPER.writeValueAsString(tree));
        }
    }

    @Test
    void randomTreesAreWrittenAsTheMapperWritesThem() {
        Random random = new Random(16);
        for (int i = 0; i < 3_000; i++) {
            JsonNode tree = tree(random, 0);
            assertThat(CompactJson.write(tree)).as("tree %d", i).isEqualTo(MAPPER.writeValueAsString(tree));
        }
    }

    @Test
    void aHostListResultIsWrittenAsTheMapperWritesIt() {
        ObjectNode out = F.objectNode();
        ArrayNode rows = out.putArray("hosts");
        rows.addObject()
                .put("name", "sandbox")
                .put("address", "127.0.0.1")
                .put("port", 43027)
                .put("user", "root")
                .putNull("host_group")
                .put("environment", "dev");
        assertThat(CompactJson.write(out)).isEqualTo(MAPPER.writeValueAsString(out));
    }

    @Test
    void nodesWithTheMappersOwnFormattingAreLeftToTheMapper() {
        assertThat(CompactJson.write(F.objectNode().put("x", 1.5))).isNull();
        assertThat(CompactJson.write(F.objectNode().put("x", 1.5f))).isNull();
        assertThat(CompactJson.write(F.arrayNode().add(new BigDecimal("1.0E+3"))))
                .isNull();
        assertThat(CompactJson.write(F.arrayNode().add(BigInteger.TEN.pow(30)))).isNull();
        assertThat(CompactJson.write(F.objectNode().set("b", F.binaryNode(new byte[] {1, 2}))))
                .isNull();
        assertThat(CompactJson.write(F.objectNode().set("p", F.pojoNode(new Object()))))
                .isNull();
        assertThat(CompactJson.write(F.missingNode())).isNull();
        assertThat(CompactJson.write(null)).isNull();
    }

    @Test
    void treesDeeperThanTheBoundAreLeftToTheMapper() {
        ArrayNode deep = F.arrayNode();
        ArrayNode at = deep;
        for (int i = 0; i < CompactJson.MAX_DEPTH; i++) {
            at = at.addArray();
        }
        assertThat(CompactJson.write(deep)).isEqualTo(MAPPER.writeValueAsString(deep));
        at.addArray();
        assertThat(CompactJson.write(deep)).isNull();
    }

    private static JsonNode tree(Random r, int depth) {
        int kind = depth > 4 ? 2 + r.nextInt(6) : r.nextInt(8);
        return switch (kind) {
            case 0 -> {
                ObjectNode o = F.objectNode();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    o.set(string(r), tree(r, depth + 1));
                }
                yield o;
            }
            case 1 -> {
                ArrayNode a = F.arrayNode();
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    a.add(tree(r, depth + 1));
                }
                yield a;
            }
            case 2, 3 -> F.stringNode(string(r));
            case 4 -> F.numberNode(r.nextInt());
            case 5 -> F.numberNode(r.nextBoolean() ? r.nextLong() : r.nextBoolean() ? Long.MIN_VALUE : -1L);
            case 6 -> F.numberNode((short) r.nextInt());
            default -> r.nextBoolean() ? F.booleanNode(r.nextBoolean()) : F.nullNode();
        };
    }

    /** Strings with escapes, control characters, non-ASCII, and paired and lone surrogates. */
    private static String string(Random r) {
        String pool = "aZ09 _-\"\\/\b\t\n\f\r\u0000\u0001\u001f\u007f\u0080é€\u2028\ud83d\ude00\ud800\udfff";
        StringBuilder s = new StringBuilder();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            s.append(r.nextInt(4) == 0 ? (char) r.nextInt(0x10000) : pool.charAt(r.nextInt(pool.length())));
        }
        return s.toString();
    }
}
