package io.opsmcp.toolkit.redact;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsmcp.core.redact.RedactionRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The redactor rejects most positions with table look-ups before comparing text (a keyword's first two letters, a
 * prefix's first two characters, a client's first letter, a name's keyword letters). These tests try every keyword,
 * every built-in prefix and every secret name word in the spellings the full comparison accepts, so a shortcut that
 * rejected one of them would let that secret through.
 */
class RedactionShortcutsTest {

    private static final String SECRET = "hunter2Xq9";

    private final Redactor redactor = ContributedRules.redactor();

    /**
     * Spellings of a keyword that String.regionMatches(ignoreCase) equates with it: lower, upper, capitalised,
     * alternating case, and each letter after the first replaced by a non-ASCII character that case-folds to it
     * (long s, Kelvin sign, dotless i).
     */
    static List<String> spellings(String keyword) {
        List<String> out = new ArrayList<>();
        out.add(keyword);
        out.add(keyword.toUpperCase(Locale.ROOT));
        out.add(Character.toUpperCase(keyword.charAt(0)) + keyword.substring(1));
        StringBuilder alternating = new StringBuilder();
        for (int i = 0; i < keyword.length(); i++) {
            char c = keyword.charAt(i);
            alternating.append(i % 2 == 0 ? c : Character.toUpperCase(c));
        }
        out.add(alternating.toString());
        for (int i = 1; i < keyword.length(); i++) {
            char folded = switch (keyword.charAt(i)) {
                case 's' -> '\u017F';
                case 'k' -> '\u212A';
                case 'i' -> '\u0131';
                default -> 0;
            };
            if (folded != 0) {
                out.add(keyword.substring(0, i) + folded + keyword.substring(i + 1));
            }
        }
        return out;
    }

    static Stream<String> keywords() {
        return Redactor.KEYWORDS.stream();
    }

    @ParameterizedTest
    @MethodSource("keywords")
    void everyKeywordInEverySpellingStillNamesASecret(String keyword) {
        for (String spelling : spellings(keyword)) {
            for (String text : List.of(
                    spelling + "=" + SECRET,
                    "x " + spelling + ": " + SECRET + " y",
                    "db_" + spelling + " = '" + SECRET + "'",
                    "--" + spelling + " " + SECRET)) {
                assertThat(redactor.redact(text)).as(text).doesNotContain(SECRET);
            }
        }
    }

    @Test
    void everyBuiltInPrefixIsStillFound() {
        for (Redactor.Prefix p : Redactor.PREFIXES) {
            String token = p.prefix() + String.valueOf(p.body().charAt(0)).repeat(p.minBody());
            for (String text : List.of(token, "key " + token + " in use", "(" + token + ")")) {
                assertThat(redactor.redact(text)).as(text).doesNotContain(token);
            }
        }
    }

    @Test
    void contributedPrefixesOfOneCharacterOrWithANonAsciiSecondCharacterAreFound() {
        Redactor r = new Redactor(List.of(
                RedactionRule.token("Q", 20, RedactionRule.UPPER_DIGITS),
                RedactionRule.token("X\u00e9_", 12, RedactionRule.UPPER_DIGITS)));
        String one = "Q" + "7".repeat(20);
        String accented = "X\u00e9_" + "A".repeat(12);
        assertThat(r.redact("id " + one + " end")).doesNotContain(one);
        assertThat(r.redact("id " + accented + " end")).doesNotContain(accented);
        // the built-in prefixes sharing the first letter still work next to them
        assertThat(r.redact("x AGE-SECRET-KEY-1" + "Q".repeat(40))).doesNotContain("Q".repeat(40));
    }

    @Test
    void clientsAreRecognisedInAnyCase() {
        assertThat(redactor.redact("MYSQL -u root -p" + SECRET)).doesNotContain(SECRET);
        assertThat(redactor.redact("Curl -u admin:" + SECRET + " https://x")).doesNotContain(SECRET);
        assertThat(redactor.redact("SSHPASS -p " + SECRET + " ssh web-1")).doesNotContain(SECRET);
        assertThat(redactor.redact("Redis-Cli -a " + SECRET + " ping")).doesNotContain(SECRET);
        assertThat(redactor.redact("WGET --password " + SECRET + " https://x")).doesNotContain(SECRET);
    }

    static Stream<String> nameWords() {
        return Redactor.NAME_WORDS.stream();
    }

    @ParameterizedTest
    @MethodSource("nameWords")
    void everySecretNameWordIsASecretNameInEveryNotation(String word) {
        String snake = word.substring(1, word.length() - 1);
        String[] parts = snake.split("_");
        StringBuilder camel = new StringBuilder(parts[0]);
        StringBuilder pascal = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            String cap = Character.toUpperCase(parts[i].charAt(0)) + parts[i].substring(1);
            pascal.append(cap);
            if (i > 0) {
                camel.append(cap);
            }
        }
        for (String name : List.of(
                snake,
                snake.toUpperCase(Locale.ROOT),
                snake.replace('_', '-'),
                snake.replace('_', '.'),
                camel.toString(),
                pascal.toString(),
                "db_" + snake,
                "X-" + pascal)) {
            assertThat(redactor.isSecretName(name)).as(name).isTrue();
        }
    }

    @Test
    void ordinaryNamesAreNotSecretNames() {
        for (String name :
                List.of("host", "host_group", "max_tokens", "keyboard", "passenger", "author_name", "port")) {
            assertThat(redactor.isSecretName(name)).as(name).isFalse();
        }
    }

    @Test
    void theAsciiLowerCaseShortcutIsCharacterToLowerCaseForEveryCharacter() {
        for (int c = 0; c <= 0xFFFF; c++) {
            assertThat(Redactor.lower((char) c)).as("U+%04X", c).isEqualTo(Character.toLowerCase((char) c));
        }
    }

    @Test
    void secretNamesWithNonAsciiLettersThatLowerCaseToAnAnchorAreStillFound() {
        // the Kelvin sign lower-cases to 'k' outside ASCII: the shortcut's non-ASCII path still finds "key"
        assertThat(redactor.isSecretName("api_\u212Aey"))
                .isEqualTo(redactor.isSecretName("api_key"))
                .isTrue();
        assertThat(redactor.isSecretName("API_\u212AEY")).isTrue();
        assertThat(redactor.redact("\u212Aey_TOKEN=" + SECRET)).doesNotContain(SECRET);
    }
}
