package io.opsmcp.guard.policy;

import io.opsmcp.rego.api.CompiledPolicy;
import io.opsmcp.rego.api.EvalSettings;
import io.opsmcp.rego.api.Rego;
import io.opsmcp.rego.bundle.Bundle;
import io.opsmcp.rego.bundle.BundleLoader;
import io.opsmcp.rego.value.DeferredValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import io.opsmcp.rego.value.Values;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decides with the in-process Rego engine ({@code ops-mcp-rego}) on an OPA bundle: the default bundle shipped in
 * {@code ops-mcp-policies} (classpath folder {@value #DEFAULT_BUNDLE}) or a bundle directory. A directory is
 * polled for changes; a changed bundle that compiles replaces the current one, one that does not is logged and
 * ignored, so the last good bundle keeps deciding. Policies read the time from {@code input.now}, so decisions
 * do not depend on the engine's clock.
 */
public final class EmbeddedPolicyEngine implements PolicyEngine {

    /** Classpath folder of the default bundle (module {@code policies}). */
    public static final String DEFAULT_BUNDLE = "opsmcp-bundle";
    /** The query every decision evaluates. */
    public static final String QUERY = "data.opsmcp.authz.decision";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPolicyEngine.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Bounds one evaluation; a policy that runs longer is treated as an unavailable engine. */
    private static final long EVAL_TIMEOUT_NANOS = Duration.ofSeconds(2).toNanos();
    /** Every evaluation's settings (immutable): the policy's strictness and print sink, the timeout above. */
    private static final EvalSettings SETTINGS = new EvalSettings(null, null, EVAL_TIMEOUT_NANOS);

    /** A compiled bundle and where it came from. */
    private record Loaded(CompiledPolicy policy, Bundle bundle, String source, String revision, String fingerprint) {}

    /** What one {@link #reload()} did. */
    public enum ReloadOutcome {
        /** The directory's contents are what is loaded. */
        UNCHANGED,
        /** A changed bundle compiled and now decides. */
        RELOADED,
        /** A changed bundle failed to load or compile; the last good bundle still decides. */
        KEPT_LAST_GOOD
    }

    private final Path directory;
    private final AtomicReference<Loaded> current;
    private final ScheduledExecutorService poller;

    private EmbeddedPolicyEngine(Path directory, Loaded initial, Duration pollInterval) {
        this.directory = directory;
        this.current = new AtomicReference<>(initial);
        if (directory != null && pollInterval != null && !pollInterval.isZero()) {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "policy-bundle-watch");
                t.setDaemon(true);
                return t;
            });
            long ms = pollInterval.toMillis();
            poller.scheduleWithFixedDelay(this::reload, ms, ms, TimeUnit.MILLISECONDS);
        } else {
            poller = null;
        }
    }

    /**
     * The engine on the shipped default bundle.
     *
     * @throws IllegalStateException when {@code ops-mcp-policies} is not on the classpath or its bundle does not
     *                               compile (a packaging error)
     */
    public static EmbeddedPolicyEngine defaultBundle() {
        ClassLoader loader = EmbeddedPolicyEngine.class.getClassLoader();
        try {
            Bundle bundle = BundleLoader.fromClasspath(DEFAULT_BUNDLE, loader);
            String revision = Optional.ofNullable(loader.getResource(DEFAULT_BUNDLE + "/.manifest"))
                    .map(url -> {
                        try (var in = url.openStream()) {
                            return revision(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .orElse("none");
            return new EmbeddedPolicyEngine(
                    null, new Loaded(compile(bundle), bundle, "classpath:" + DEFAULT_BUNDLE, revision, ""), null);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the default policy bundle cannot be loaded: " + e.getMessage(), e);
        }
    }

    /**
     * The engine on a bundle directory, polled every {@code pollInterval} for changes ({@link Duration#ZERO}: never;
     * {@link #reload()} can still be called).
     *
     * @throws BundleException when the directory cannot be read or its bundle does not compile; the message says
     *                         which file and why
     */
    public static EmbeddedPolicyEngine directory(Path directory, Duration pollInterval) {
        Path dir = directory.toAbsolutePath().normalize();
        return new EmbeddedPolicyEngine(dir, load(dir), pollInterval);
    }

    /**
     * Reloads the bundle directory if its contents changed since the last load. On failure the last good bundle
     * stays and the failure is logged at ERROR with the reason. Called by the poller; safe to call from tests.
     */
    public ReloadOutcome reload() {
        if (directory == null) {
            return ReloadOutcome.UNCHANGED;
        }
        Loaded before = current.get();
        String fingerprint;
        try {
            fingerprint = fingerprint(directory);
        } catch (RuntimeException e) {
            log.error(
                    "policy bundle {} cannot be read ({}); still deciding with revision {}",
                    directory,
                    e.getMessage(),
                    before.revision());
            return ReloadOutcome.KEPT_LAST_GOOD;
        }
        if (fingerprint.equals(before.fingerprint())) {
            return ReloadOutcome.UNCHANGED;
        }
        try {
            Loaded next = load(directory);
            current.set(next);
            log.info("policy bundle {} reloaded: revision {} (was {})", directory, next.revision(), before.revision());
            return ReloadOutcome.RELOADED;
        } catch (BundleException e) {
            // Remember the broken contents so the same failure is logged once, not on every poll.
            current.set(new Loaded(before.policy(), before.bundle(), before.source(), before.revision(), fingerprint));
            log.error(
                    "policy bundle {} changed but was NOT loaded, keeping the last good revision {}: {}",
                    directory,
                    before.revision(),
                    e.getMessage());
            return ReloadOutcome.KEPT_LAST_GOOD;
        }
    }

    /**
     * The raw decision document for one input, as OPA would return it in {@code result}; empty when the policy
     * leaves it undefined. For {@code ops-mcp policy eval}; the guard uses {@link #decide}.
     *
     * @throws io.opsmcp.rego.RegoException on evaluation errors (OPA's code and message)
     */
    public Optional<JsonNode> evaluate(JsonNode input) {
        return current.get()
                .policy()
                .evalDocument(QUERY, Values.fromJson(input), settings())
                .map(Values::toJson);
    }

    @Override
    public Decision decide(JsonNode input) {
        try {
            return Decision.fromDocument(evaluate(input).orElse(null));
        } catch (RuntimeException | StackOverflowError e) {
            log.warn("policy evaluation failed, denying: {}", e.getMessage());
            return Decision.deny(Decision.UNAVAILABLE);
        }
    }

    /**
     * Decides with the deferred member computed only if the evaluation reads it: the input is an object whose
     * member {@code input.key()} is a {@link DeferredValue} ({@link ObjectValue#withDeferred}), so every way a policy
     * can reach it (a ref, iteration over {@code input}, {@code input} as a value passed to a built-in or compared,
     * {@code with}) computes it first, and nothing else does. A member that could not be computed fails the
     * decision ({@link Decision#UNAVAILABLE}), also when a built-in swallowed the failure.
     */
    @Override
    public Decision decide(DeferredInput input) {
        try {
            DeferredValue member = new DeferredValue(new MemberValue(input.member()));
            Value value =
                    ((ObjectValue) Values.fromJson(input.known())).withDeferred(StringValue.of(input.key()), member);
            Optional<Value> document = current.get().policy().evalDocument(QUERY, value, settings());
            if (member.failed()) {
                log.warn("policy input member {} could not be computed, denying", input.key());
                return Decision.deny(Decision.UNAVAILABLE);
            }
            return Decision.fromDocument(document.map(Values::toJson).orElse(null));
        } catch (RuntimeException | StackOverflowError e) {
            log.warn("policy evaluation failed, denying: {}", e.getMessage());
            return Decision.deny(Decision.UNAVAILABLE);
        }
    }

    private static EvalSettings settings() {
        return SETTINGS;
    }

    /**
     * The deferred member as a value, computed by {@link DeferredValue} at most once. A class, not a lambda: the
     * server runs C1 only, where creating a capturing lambda is a call into the VM.
     */
    private static final class MemberValue implements Supplier<Value> {
        private final Supplier<JsonNode> member;

        MemberValue(Supplier<JsonNode> member) {
            this.member = member;
        }

        @Override
        public Value get() {
            return Values.fromJson(member.get());
        }
    }

    @Override
    public Optional<PolicyBundle> bundle() {
        Loaded loaded = current.get();
        return Optional.of(new PolicyBundle(
                loaded.source(),
                loaded.revision(),
                loaded.bundle().modules(),
                io.opsmcp.rego.value.Values.toJson(loaded.bundle().data())));
    }

    @Override
    public String description() {
        Loaded l = current.get();
        return "embedded (bundle " + l.source() + ", revision " + l.revision() + ")";
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    private static Loaded load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BundleException(dir + " is not a directory");
        }
        try {
            String fingerprint = fingerprint(dir);
            Bundle bundle = BundleLoader.fromDirectory(dir);
            if (bundle.modules().isEmpty()) {
                throw new BundleException(dir + " contains no .rego files");
            }
            Path manifest = dir.resolve(".manifest");
            String revision = Files.isRegularFile(manifest)
                    ? revision(Files.readString(manifest, StandardCharsets.UTF_8))
                    : "none";
            return new Loaded(compile(bundle), bundle, dir.toString(), revision, fingerprint);
        } catch (BundleException e) {
            throw e;
        } catch (IOException e) {
            throw new BundleException(dir + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new BundleException(e.getMessage());
        }
    }

    private static CompiledPolicy compile(Bundle bundle) {
        return Rego.builder().build(bundle.modules(), bundle.data());
    }

    /** The manifest's {@code revision}, or {@code none}. */
    private static String revision(String manifest) {
        JsonNode revision = JSON.readTree(manifest).get("revision");
        return revision != null && revision.isString() && !revision.asString().isEmpty() ? revision.asString() : "none";
    }

    /** SHA-256 over the relative path and content of every regular file, in path order. */
    private static String fingerprint(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            List<Path> sorted = files.filter(Files::isRegularFile).sorted().toList();
            for (Path p : sorted) {
                sha.update(dir.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(Files.readAllBytes(p));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A bundle directory that cannot be read or compiled; the message names the file and the reason. */
    public static final class BundleException extends RuntimeException {
        public BundleException(String message) {
            super(message);
        }
    }
}
