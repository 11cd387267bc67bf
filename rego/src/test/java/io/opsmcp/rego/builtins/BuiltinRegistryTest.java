package io.opsmcp.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The standard table builds each family on first use from the names it declares: those names must be exactly the
 * family's, or a built-in would go missing (or a lookup would reach the wrong family).
 */
class BuiltinRegistryTest {

    @Test
    void eachFamilyDeclaresExactlyTheNamesItsClassLists() {
        for (int f = 0; f < BuiltinRegistry.FAMILY_NAMES.length; f++) {
            List<String> listed =
                    BuiltinRegistry.build(f).stream().map(Builtin::name).toList();
            assertThat(listed).as("family %d", f).containsExactly(BuiltinRegistry.FAMILY_NAMES[f]);
        }
        int families = BuiltinRegistry.FAMILY_NAMES.length;
        assertThatThrownBy(() -> BuiltinRegistry.build(families)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLazyStandardTableAnswersAsTheTableOfEveryFamilyBuiltUpFront() {
        List<Builtin> all = new ArrayList<>();
        for (int f = 0; f < BuiltinRegistry.FAMILY_NAMES.length; f++) {
            all.addAll(BuiltinRegistry.build(f));
        }
        BuiltinRegistry eager = BuiltinRegistry.of(all);
        BuiltinRegistry lazy = BuiltinRegistry.standard();

        assertThat(List.copyOf(lazy.names())).containsExactlyElementsOf(eager.names());
        for (String name : eager.names()) {
            Builtin expected = eager.lookup(name).orElseThrow();
            assertThat(lazy.lookup(name)).as(name).hasValueSatisfying(b -> {
                assertThat(b.name()).isEqualTo(expected.name());
                assertThat(b.args()).isEqualTo(expected.args());
                assertThat(b.result()).isEqualTo(expected.result());
                assertThat(b.refused()).isEqualTo(expected.refused());
                assertThat(b.impl() == null ? null : b.impl().getClass())
                        .isEqualTo(
                                expected.impl() == null ? null : expected.impl().getClass());
            });
        }
        assertThat(lazy.lookup("no.such.builtin")).isEmpty();
        assertThat(lazy.lookup("plus")).isEqualTo(eager.lookup("plus"));
    }

    @Test
    void findAnswersAsLookupForEveryNameAndNullForUnknownOnes() {
        List<Builtin> all = new ArrayList<>();
        for (int f = 0; f < BuiltinRegistry.FAMILY_NAMES.length; f++) {
            all.addAll(BuiltinRegistry.build(f));
        }
        for (BuiltinRegistry reg : List.of(BuiltinRegistry.standard(), BuiltinRegistry.of(all))) {
            for (String name : reg.names()) {
                Builtin first = reg.find(name);
                assertThat(first).as(name).isSameAs(reg.lookup(name).orElseThrow());
                assertThat(reg.find(name)).as(name).isSameAs(first);
            }
            // unknown names are never remembered as found
            assertThat(reg.find("no.such_builtin")).isNull();
            assertThat(reg.find("no.such_builtin")).isNull();
        }
        BuiltinRegistry few =
                BuiltinRegistry.of(List.of(BuiltinRegistry.standard().find("concat")));
        assertThat(few.find("concat")).isNotNull();
        assertThat(few.find("count")).isNull();
    }

    @Test
    void aFamilyIsBuiltOnceAndItsBuiltinsSharedByLaterLookups() {
        BuiltinRegistry lazy = BuiltinRegistry.standard();
        assertThat(lazy.lookup("concat")).isPresent();
        assertThat(lazy.lookup("crypto.x509.parse_certificates")).isPresent();
        assertThat(lazy.lookup("concat")).containsSame(lazy.lookup("concat").orElseThrow());
    }
}
