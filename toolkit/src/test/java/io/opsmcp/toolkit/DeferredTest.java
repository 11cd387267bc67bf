package io.opsmcp.toolkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeferredTest {

    @Test
    void buildsOnceWhetherStartedOrAskedFirstAndEveryCallerGetsTheSameValue() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Deferred<Object> deferred = new Deferred<>("test", () -> {
            builds.incrementAndGet();
            await(release);
            return new Object();
        });
        deferred.start();
        List<Object> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> seen.add(deferred.get()));
            t.start();
            callers.add(t);
        }
        release.countDown();
        for (Thread t : callers) {
            t.join(10_000);
        }
        assertThat(seen).hasSize(4).allSatisfy(v -> assertThat(v).isSameAs(seen.get(0)));
        assertThat(builds).hasValue(1);
        deferred.start(); // a late start builds nothing more
        assertThat(deferred.get()).isSameAs(seen.get(0));
        assertThat(builds).hasValue(1);
    }

    @Test
    void withoutStartTheFirstCallerBuildsOnItsOwnThread() {
        Deferred<String> deferred =
                new Deferred<>("test", () -> Thread.currentThread().getName());
        assertThat(deferred.isDone()).isFalse();
        assertThat(deferred.get()).isEqualTo(Thread.currentThread().getName());
        assertThat(deferred.isDone()).isTrue();
    }

    @Test
    void aFailureIsThrownToEveryCallerAndNeverRetried() {
        AtomicInteger builds = new AtomicInteger();
        IllegalArgumentException failure = new IllegalArgumentException("policy.bundle: no such directory");
        Deferred<String> deferred = new Deferred<>("test", () -> {
            builds.incrementAndGet();
            throw failure;
        });
        assertThatThrownBy(deferred::get).isSameAs(failure);
        assertThatThrownBy(deferred::get).isSameAs(failure);
        assertThat(builds).hasValue(1);
    }

    @Test
    void closeClosesWhatWasBuiltAndBuildsNothingThatWasNeverStarted() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        AtomicInteger builds = new AtomicInteger();
        Deferred<AutoCloseable> built = new Deferred<>("test", () -> {
            builds.incrementAndGet();
            return closed::incrementAndGet;
        });
        built.get();
        built.close();
        assertThat(closed).hasValue(1);

        Deferred<AutoCloseable> never = new Deferred<>("test", () -> {
            builds.incrementAndGet();
            return closed::incrementAndGet;
        });
        never.close();
        assertThat(builds).hasValue(1);
        assertThat(closed).hasValue(1);
        assertThatThrownBy(never::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void closeWaitsForABuildUnderWayAndClosesIt() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        CountDownLatch building = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Deferred<AutoCloseable> deferred = new Deferred<>("test", () -> {
            building.countDown();
            await(release);
            return closed::incrementAndGet;
        });
        deferred.start();
        assertThat(building.await(10, TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(() -> {
            try {
                deferred.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        closer.start();
        release.countDown();
        closer.join(10_000);
        assertThat(closed).hasValue(1);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
