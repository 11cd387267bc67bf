package io.opsmcp.core.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The published schema text is what clients and the gateway's validator see, so the tests compare it whole. */
class JsonSchemasTest {

    @Test
    void inputIsAClosedObjectWithRequiredInOrderAndNoDollarSchema() {
        ObjectNode props = JsonSchemas.properties();
        props.set("host", JsonSchemas.pattern("Host.", "^[a-z]+$", 63));
        ObjectNode schema = JsonSchemas.input(props, "host", "unit");

        assertThat(schema.toString())
                .isEqualTo(
                        "{\"type\":\"object\",\"properties\":{\"host\":{\"type\":\"string\",\"description\":\"Host.\","
                                + "\"pattern\":\"^[a-z]+$\",\"minLength\":1,\"maxLength\":63}},\"required\":[\"host\",\"unit\"],"
                                + "\"additionalProperties\":false}");
    }

    @Test
    void inputWithoutRequiredStillPublishesAnEmptyRequiredList() {
        assertThat(JsonSchemas.input(JsonSchemas.properties()).get("required").isEmpty())
                .isTrue();
    }

    @Test
    void outputIsOpenAndDeclaresNoDraft() {
        ObjectNode props = JsonSchemas.properties();
        props.set("load", JsonSchemas.type("number", "1-minute load"));
        ObjectNode schema = JsonSchemas.output(props, "load");

        assertThat(schema.toString())
                .isEqualTo("{\"type\":\"object\",\"properties\":{\"load\":"
                        + "{\"type\":\"number\",\"description\":\"1-minute load\"}},\"required\":[\"load\"]}");
        assertThat(schema.has("additionalProperties")).isFalse();
        assertThat(schema.has("$schema")).isFalse();
    }

    @Test
    void integerRangeAdvertisesTheDefaultOnlyWhenGiven() {
        assertThat(JsonSchemas.integer("Lines.", 1, 500, 50).toString())
                .isEqualTo(
                        "{\"type\":\"integer\",\"description\":\"Lines.\",\"minimum\":1,\"maximum\":500,\"default\":50}");
        assertThat(JsonSchemas.integer("Count.", 0, 1000, null).toString())
                .isEqualTo("{\"type\":\"integer\",\"description\":\"Count.\",\"minimum\":0,\"maximum\":1000}");
        assertThat(JsonSchemas.integer("Id.", 1).toString())
                .isEqualTo("{\"type\":\"integer\",\"description\":\"Id.\",\"minimum\":1}");
    }

    @Test
    void textVariantsDifferOnlyInMinLength() {
        assertThat(JsonSchemas.text("Filter.", 1024).toString())
                .isEqualTo("{\"type\":\"string\",\"description\":\"Filter.\",\"maxLength\":1024}");
        assertThat(JsonSchemas.nonEmptyText("Title.", 255).toString())
                .isEqualTo("{\"type\":\"string\",\"description\":\"Title.\",\"minLength\":1,\"maxLength\":255}");
    }

    @Test
    void enumerationKeepsValueOrderAndOptionalDefault() {
        assertThat(JsonSchemas.enumeration("Order.", List.of("newest", "oldest"), "newest")
                        .toString())
                .isEqualTo("{\"type\":\"string\",\"description\":\"Order.\",\"enum\":[\"newest\",\"oldest\"],"
                        + "\"default\":\"newest\"}");
        assertThat(JsonSchemas.enumeration("State.", List.of("opened", "merged"))
                        .has("default"))
                .isFalse();
    }

    @Test
    void boolArrayAndTypeCarryTheirKeywords() {
        assertThat(JsonSchemas.bool("Dry run.", false).toString())
                .isEqualTo("{\"type\":\"boolean\",\"description\":\"Dry run.\",\"default\":false}");
        assertThat(JsonSchemas.arrayOf(JsonSchemas.type("string", "word"), "argv")
                        .toString())
                .isEqualTo(
                        "{\"type\":\"array\",\"description\":\"argv\",\"items\":{\"type\":\"string\",\"description\":\"word\"}}");
    }

    @Test
    void everyCallReturnsAFreshNode() {
        ObjectNode a = JsonSchemas.properties();
        a.put("x", 1);
        assertThat(JsonSchemas.properties().isEmpty()).isTrue();
    }
}
