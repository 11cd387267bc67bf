package io.opsmcp.toolkit.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 10 item 10, at the unit level: every secret-bearing form of {@link RedactionCorpus#SECRETS} is removed,
 * ordinary output is untouched, and the work done (characters examined, counted by the redactor) grows linearly:
 * at most {@value #MAX_STEPS_PER_CHAR} steps per character on every pathological input, and the same per-character
 * cost at 24 KB and at 1 MB. Work is counted, not timed, so the test does not depend on the machine.
 */
class RedactionIsLinearAndCompleteTest {

    private static final int MAX_STEPS_PER_CHAR = 200;
    private static final int SMALL = 24 * 1024;
    private static final int LARGE = 1024 * 1024;

    private final Redactor redactor = ContributedRules.redactor();

    static Stream<RedactionCorpus.Case> secrets() {
        return RedactionCorpus.SECRETS.stream();
    }

    @ParameterizedTest
    @MethodSource("secrets")
    void everySecretBearingFormIsRedacted(RedactionCorpus.Case c) {
        String out = redactor.redact(c.text());
        assertThat(out).as(c.text()).doesNotContain(c.secret()).contains(Redactor.MARK);
    }

    @Test
    void ordinaryOutputIsUnchanged() {
        for (String text : RedactionCorpus.ORDINARY) {
            assertThat(redactor.redact(text)).isEqualTo(text);
        }
    }

    @Test
    void aSecretInsideAPathologicalInputIsStillRedacted() {
        for (RedactionCorpus.Pathological p : RedactionCorpus.PATHOLOGICAL) {
            String text = p.make().apply(SMALL) + "\npassword=" + RedactionCorpus.S + "\n";
            assertThat(redactor.redact(text)).as(p.name()).doesNotContain(RedactionCorpus.S);
        }
    }

    static Stream<Arguments> pathological() {
        return RedactionCorpus.PATHOLOGICAL.stream().map(p -> Arguments.of(p.name(), p));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pathological")
    void workIsLinear(String name, RedactionCorpus.Pathological p) {
        String small = p.make().apply(SMALL);
        String large = p.make().apply(LARGE);
        long smallWork = redactor.work(small);
        long largeWork = redactor.work(large);
        double perCharSmall = (double) smallWork / small.length();
        double perCharLarge = (double) largeWork / large.length();
        System.out.printf("%-28s %7.2f steps/char at 24 KB, %7.2f at 1 MB%n", name, perCharSmall, perCharLarge);
        assertThat(perCharSmall).as("steps per character at 24 KB").isLessThanOrEqualTo(MAX_STEPS_PER_CHAR);
        assertThat(perCharLarge).as("steps per character at 1 MB").isLessThanOrEqualTo(MAX_STEPS_PER_CHAR);
        // a quadratic cost would make the 1 MB input ~43 times dearer per character than the 24 KB one
        assertThat(perCharLarge)
                .as("per-character work does not grow with the input")
                .isLessThanOrEqualTo(perCharSmall * 1.25 + 1);
    }
}
