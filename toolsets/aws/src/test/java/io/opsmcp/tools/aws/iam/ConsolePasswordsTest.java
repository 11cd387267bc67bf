package io.opsmcp.tools.aws.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Generated console passwords meet any IAM password policy's character classes and do not repeat. */
class ConsolePasswordsTest {

    @Test
    void everyPasswordHasEveryClassAndNoTwoAreAlike() {
        ConsolePasswords passwords = new ConsolePasswords(new SecureRandom());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String p = passwords.next();
            assertThat(p).hasSize(ConsolePasswords.LENGTH);
            assertThat(p.chars().anyMatch(c -> ConsolePasswords.UPPER.indexOf(c) >= 0))
                    .isTrue();
            assertThat(p.chars().anyMatch(c -> ConsolePasswords.LOWER.indexOf(c) >= 0))
                    .isTrue();
            assertThat(p.chars().anyMatch(c -> ConsolePasswords.DIGITS.indexOf(c) >= 0))
                    .isTrue();
            assertThat(p.chars().anyMatch(c -> ConsolePasswords.SYMBOLS.indexOf(c) >= 0))
                    .isTrue();
            assertThat(seen.add(p)).isTrue();
        }
    }
}
