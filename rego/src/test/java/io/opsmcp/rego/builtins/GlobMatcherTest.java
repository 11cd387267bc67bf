package io.opsmcp.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The glob matcher without RE2 (plain names and name prefixes) answers as the RE2 translation does. */
class GlobMatcherTest {

    private static final List<String> PATTERNS = List.of(
            "",
            "*",
            "sandbox",
            "dev-*",
            "prod-*",
            "sandbox-prod",
            "a.b",
            "a.*",
            "a/*",
            "x}y,z]*",
            "a,b}",
            "tab\there*",
            "grüße-*",
            // not plain: left to RE2
            "dev-**",
            "*-web",
            "d?v-*",
            "[a-c]*",
            "{dev,prod}-*",
            "a\\*b",
            "\ud83d\ude00-*",
            "\ud83d-*");

    private static final List<String> SUBJECTS = List.of(
            "",
            "sandbox",
            "sandbox-prod",
            "sandbox\n",
            "dev-",
            "dev-web",
            "dev-web/1",
            "dev-web.1",
            "dev-\nweb",
            "dev-w\u00e9b",
            "dev-\ud83d\ude00",
            "dev-\ud83d",
            "dev-\ude00/",
            "prod-db",
            "a.b",
            "a.bc",
            "a/b",
            "a/",
            "ab",
            "x}y,z]",
            "x}y,z]tail",
            "a,b}",
            "tab\there-1",
            "grüße-1",
            "grüße-/",
            "\ud83d\ude00-1",
            "\ud83d-1",
            "DEV-web");

    private static final List<List<Integer>> DELIMITERS =
            List.of(List.of(), List.of((int) '/'), List.of((int) '.'), List.of((int) '/', (int) '.', (int) '-'));

    @Test
    void plainMatcherAnswersAsTheRegexForEveryPatternSubjectAndDelimiters() {
        List<String> differences = new ArrayList<>();
        int plainPatterns = 0;
        for (List<Integer> delimiters : DELIMITERS) {
            for (String pattern : PATTERNS) {
                GlobBuiltins.Matcher regex = GlobBuiltins.regex(pattern, delimiters);
                GlobBuiltins.Matcher compiled = GlobBuiltins.compile(pattern, delimiters);
                if (GlobBuiltins.plain(pattern, delimiters) != null) {
                    plainPatterns++;
                }
                for (String subject : SUBJECTS) {
                    if (regex.matches(subject) != compiled.matches(subject)) {
                        differences.add(pattern + " " + delimiters + " " + subject);
                    }
                }
            }
        }
        assertThat(differences).isEmpty();
        assertThat(plainPatterns)
                .as("the plain shapes take the path without RE2")
                .isGreaterThanOrEqualTo(4 * 13);
    }

    @Test
    void plainMatcherTakesOnlyNamesAndNamePrefixes() {
        List<Integer> slash = List.of((int) '/');
        assertThat(GlobBuiltins.plain("dev-*", slash)).isNotNull();
        assertThat(GlobBuiltins.plain("sandbox", slash)).isNotNull();
        for (String other : List.of("dev-**", "*-web", "d?v", "[ab]", "{a,b}", "a\\*", "\ud83d-*")) {
            assertThat(GlobBuiltins.plain(other, slash)).as(other).isNull();
        }
        assertThat(GlobBuiltins.plain("dev-*", List.of(0x1F600))).isNull();
    }

    @Test
    void prefixStopsAtADelimiterAndLiteralsMatchWholeStrings() {
        List<Integer> slash = List.of((int) '/');
        GlobBuiltins.Matcher dev = GlobBuiltins.compile("dev-*", slash);
        assertThat(dev.matches("dev-web")).isTrue();
        assertThat(dev.matches("dev-")).isTrue();
        assertThat(dev.matches("dev-web/prod")).isFalse();
        assertThat(dev.matches("xdev-web")).isFalse();
        GlobBuiltins.Matcher sandbox = GlobBuiltins.compile("sandbox", slash);
        assertThat(sandbox.matches("sandbox")).isTrue();
        assertThat(sandbox.matches("sandbox-prod")).isFalse();
        assertThat(sandbox.matches("sandbo")).isFalse();
    }
}
