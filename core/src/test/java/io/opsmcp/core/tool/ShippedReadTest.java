package io.opsmcp.core.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShippedReadTest {

    @Test
    void readsOnceAndAnswersTheSameValueAtEveryUse() {
        AtomicInteger reads = new AtomicInteger();
        ShippedRead<List<String>> read = ShippedRead.of(() -> {
            reads.incrementAndGet();
            return List.of("uptime");
        });
        assertThat(read.get()).isSameAs(read.get()).containsExactly("uptime");
        assertThat(reads).hasValue(1);
    }

    @Test
    void aFailedReadFailsEveryUseWithTheSameExceptionNeverANullValue() {
        ShippedRead<List<String>> bad = ShippedRead.of(() -> {
            throw new IllegalArgumentException("default-catalog.yaml commands[0].name: must match");
        });
        Throwable first = catchThrowable(bad::get);
        assertThat(first).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commands[0].name");
        assertThat(catchThrowable(bad::get)).isSameAs(first);

        ShippedRead<List<String>> nothing = ShippedRead.of(() -> null);
        assertThat(catchThrowable(nothing::get)).isInstanceOf(NullPointerException.class);
    }
}
