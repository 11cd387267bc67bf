package io.opsmcp.server;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.opsmcp.alerts.AlertService;
import io.opsmcp.alerts.AlertSettings;
import io.opsmcp.alerts.AlertsToolset;
import io.opsmcp.alerts.hooks.SnsCertificates;
import io.opsmcp.alerts.hooks.Webhooks;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.OpsToolsetProvider;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolsetSandbox;
import io.opsmcp.guard.approval.Approval;
import io.opsmcp.guard.approval.ApprovalService;
import io.opsmcp.guard.audit.AuditStore;
import io.opsmcp.guard.audit.ObservedAuditStore;
import io.opsmcp.guard.gateway.ResultLimiter;
import io.opsmcp.guard.gateway.ToolGateway;
import io.opsmcp.guard.policy.Decision;
import io.opsmcp.guard.policy.Guard;
import io.opsmcp.guard.policy.GuardToolset;
import io.opsmcp.guard.policy.PolicyEngine;
import io.opsmcp.guard.policy.PolicyEngines;
import io.opsmcp.guard.policy.PolicyInput;
import io.opsmcp.limits.PrincipalLimits;
import io.opsmcp.server.auth.HttpAuthFilter;
import io.opsmcp.server.config.OpsMcpConfig;
import io.opsmcp.server.config.ServerSettings;
import io.opsmcp.server.mcp.CallRequestMapper;
import io.opsmcp.server.mcp.GatewayToolAdapter;
import io.opsmcp.server.mcp.McpFeatureContributor;
import io.opsmcp.server.mcp.McpFeatures;
import io.opsmcp.server.mcp.McpServerFactory;
import io.opsmcp.server.mcp.ResourceSubscriptions;
import io.opsmcp.server.mcp.SessionTools;
import io.opsmcp.server.mcp.ToolsetContentAdapter;
import io.opsmcp.server.start.DeferredAlertStore;
import io.opsmcp.server.start.DeferredApprovalStore;
import io.opsmcp.server.start.DeferredAuditStore;
import io.opsmcp.server.start.DeferredPolicyEngine;
import io.opsmcp.server.toolsets.DiscoveryToolset;
import io.opsmcp.server.toolsets.ToolDiscovery;
import io.opsmcp.server.toolsets.ToolFilter;
import io.opsmcp.server.toolsets.ToolsetCatalog;
import io.opsmcp.store.jdbc.Stores;
import io.opsmcp.telemetry.Telemetry;
import io.opsmcp.telemetry.TelemetrySettings;
import io.opsmcp.toolkit.Deferred;
import io.opsmcp.toolkit.redact.Redactor;
import io.opsmcp.toolkit.schema.ArgumentValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything a running server holds, transport aside: enabled toolsets, the gateway, the audit log, the
 * toolsets' sandboxes (with {@code --sandbox}) and the MCP feature set. Built once from the configuration; closed on shutdown.
 */
public final class OpsMcpRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpsMcpRuntime.class);

    /** {@code opsmcp.approvals.pending} counts at most this many (one bounded query per scrape). */
    private static final int MAX_PENDING_COUNTED = 10_000;

    private final OpsMcpConfig config;
    private final List<ToolsetSandbox> sandboxes;
    /** The stores, the control socket and the policy: built after the first answer on stdio ({@link #startLazily}). */
    private final Deferred<Backend> backend;
    /** {@link #startInBackground()} runs once, however many triggers fire (the first answer, the stdio timer). */
    private final java.util.concurrent.atomic.AtomicBoolean backgroundStarted =
            new java.util.concurrent.atomic.AtomicBoolean();
    /** Set by {@link #close()}: the background start does not start sandboxes or toolsets of a closed runtime. */
    private volatile boolean closed;
    /** The thread that starts them after the warm-up, interrupted by {@link #close()}. */
    private volatile Thread afterWarmUp;
    /** Over stdio, how long after the warm-up the sandboxes and toolsets start their background work. */
    static final Duration REST_AFTER_WARM_UP = Duration.ofSeconds(2);
    /** Over stdio, the side-effect-free part of a first call, run once the backend is up (FirstCallWarmUp). */
    private Runnable warmUp;
    /** Raised by real calls (the deferred policy and audit store) and by {@link #callArriving()}; stops the warm-up. */
    private io.opsmcp.server.start.RealCallSignal calls = new io.opsmcp.server.start.RealCallSignal();
    /** The webhook receivers of {@code alerts:}; {@code null} when none is configured. Set once by {@link #build}. */
    private Webhooks webhooks;
    /**
     * Every known toolset's redaction rules (the approval page and notifications show text through it). Set once by
     * {@link #build}, the only maker of a runtime (no default built here only to be replaced).
     */
    private Redactor redactor;
    /** Approval notifications ({@code notifications:}), or {@code null} when none are configured. */
    private io.opsmcp.notify.Notifier notifier;

    private final List<OpsToolset> toolsets;
    private final ApprovalService approvals;
    private final ToolGateway gateway;
    private final McpFeatures features;
    private final McpServerFactory serverFactory;
    private final ToolsetCatalog catalog;
    private final List<String> warnings;
    private final Telemetry telemetry;

    private OpsMcpRuntime(
            OpsMcpConfig config,
            List<ToolsetSandbox> sandboxes,
            Deferred<Backend> backend,
            List<OpsToolset> toolsets,
            ApprovalService approvals,
            ToolGateway gateway,
            McpFeatures features,
            McpServerFactory serverFactory,
            ToolsetCatalog catalog,
            List<String> warnings,
            Telemetry telemetry) {
        this.config = config;
        this.telemetry = telemetry;
        this.warnings = List.copyOf(warnings);
        this.sandboxes = sandboxes;
        this.backend = backend;
        this.toolsets = List.copyOf(toolsets);
        this.approvals = approvals;
        this.gateway = gateway;
        this.features = features;
        this.serverFactory = serverFactory;
        this.catalog = catalog;
    }

    /**
     * The MCP-level toolsets on the class path ({@code META-INF/services/io.opsmcp.server.mcp.McpFeatureContributor},
     * e.g. the conformance fixtures in tests), enabled by name like tool modules.
     */
    static List<McpFeatureContributor> serverToolsets() {
        List<McpFeatureContributor> found = new ArrayList<>();
        java.util.ServiceLoader.load(McpFeatureContributor.class).forEach(found::add);
        return found;
    }

    /**
     * What start-up can leave until after the first answer: the approval and audit stores (the embedded H2 database
     * and its Flyway migrations, or a PostgreSQL pool), the control socket and the compiled policy ({@code policy}
     * as calls use it, {@code untimed} the same engine without telemetry, for the first-call warm-up). Closed in
     * this order.
     */
    private record Backend(
            Stores stores, PolicyEngine policy, PolicyEngine untimed, io.opsmcp.server.cli.ControlSocket control)
            implements AutoCloseable {
        @Override
        public void close() {
            try {
                if (control != null) {
                    control.close();
                }
            } finally {
                try {
                    policy.close();
                } finally {
                    stores.close();
                }
            }
        }
    }

    /**
     * Builds the runtime: creates the data directory, starts the sandbox when asked, creates the enabled
     * toolsets, opens the stores, compiles the policy and wires the gateway; returns when all of it is ready. The
     * toolsets' deferred work (e.g. a search index) then starts in the background; a sandbox's own servers (the
     * sandbox SSH server) wait for their first connection.
     *
     * @throws io.opsmcp.server.config.ConfigException for configuration errors (shown to the operator as is)
     */
    public static OpsMcpRuntime start(OpsMcpConfig config) {
        OpsMcpRuntime runtime = build(config, false);
        try {
            // the policy's first decision, as before the transport accepts calls (the lazy start does it later)
            io.opsmcp.server.start.FirstCallWarmUp.decide(
                    runtime.backend.get().untimed(), localPrincipal(config.server()));
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
        // Not the sandboxes: the sandbox SSH server (Apache SSHD and BouncyCastle, ~1,000 classes, ~5 MiB of RSS
        // for the server's whole life) starts with the first SSH connection, which waits for it.
        runtime.backgroundStarted.set(true);
        runtime.toolsets.forEach(OpsToolset::startInBackground);
        return runtime;
    }

    /**
     * What the session servers of a runtime built from {@code config} will tell a client in {@code initialize}
     * ({@link McpServerFactory#identity()}), known before the runtime is built: of the settings only
     * {@code tools.discovery} changes it (a session's tool list can then change).
     */
    public static McpServerFactory.Identity identity(OpsMcpConfig config) {
        return McpServerFactory.identity(
                Version.current(), config.server().tools().discovery());
    }

    /**
     * Like {@link #start}, but leaves the stores, the control socket, the policy and the toolsets' deferred work
     * (e.g. a search index) until {@link #startInBackground()} or their first use, whichever comes first: what a
     * stdio server needs to answer {@code initialize} sooner. A call that comes earlier waits for them; should one
     * fail to start, every call that needs it fails with its error (the guard fails closed) and the error is logged.
     */
    public static OpsMcpRuntime startLazily(OpsMcpConfig config) {
        return build(config, true);
    }

    private static OpsMcpRuntime build(OpsMcpConfig config, boolean lazy) {
        ServerSettings settings = config.server();
        try {
            Files.createDirectories(settings.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create data directory " + settings.dataDir() + ": " + e.getMessage(), e);
        }
        JsonMapper json = JsonMapper.builder().build();
        List<OpsToolsetProvider> providers = ToolsetCatalog.discover();
        ToolsetCatalog catalog = new ToolsetCatalog(providers, serverToolsets());
        ToolsetCatalog.Enabled enabled = catalog.enable(
                settings.toolsets(),
                config.tree(),
                settings.dataDir(),
                settings.sandbox(),
                settings.dataDir().resolve("sandbox"),
                lazy); // stdio: the shipped catalogs are read beside the sandboxes' start
        Telemetry telemetry = null;
        try {
            // Off unless telemetry.traces/metrics.enabled: then nothing is started and every hook is a no-op.
            telemetry = Telemetry.start(
                    TelemetrySettings.from(config.tree().path("telemetry"), System.getenv()), Version.current());
            Telemetry observed = telemetry;
            Deferred<Backend> backend = new Deferred<>("store-and-policy", () -> {
                try {
                    return openBackend(config, observed);
                } catch (RuntimeException e) {
                    if (lazy) { // else start() throws it to the operator
                        log.error("ops-mcp cannot open its store or policy: {}", e.getMessage());
                    }
                    throw e;
                }
            });
            // Told of every real use of the policy and the audit store: the first-call warm-up stops once a real call
            // has begun.
            io.opsmcp.server.start.RealCallSignal calls = new io.opsmcp.server.start.RealCallSignal();
            PolicyEngine policy = new DeferredPolicyEngine(() -> backend.get().policy(), calls);
            ApprovalService approvals = new ApprovalService(
                    new DeferredApprovalStore(() -> backend.get().stores().approvals()), Clock.systemUTC());
            AuditStore rawAudit =
                    new DeferredAuditStore(() -> backend.get().stores().audit(), calls);
            // Approval and audit changes are announced to resource subscribers; the adapter that decides reads
            // exists only further down, hence the holder.
            AtomicReference<ResourceSubscriptions> subscribed = new AtomicReference<>();
            approvals.onChange(id -> {
                if (subscribed.get() != null) {
                    subscribed.get().approvalChanged(id);
                }
            });
            telemetry.approvalsPending(() -> approvals
                    .list(EnumSet.of(Approval.Status.PENDING), MAX_PENDING_COUNTED)
                    .size());
            AuditStore audit = new ObservedAuditStore(telemetry.timed(rawAudit), () -> {
                if (subscribed.get() != null) {
                    subscribed.get().auditAppended();
                }
            });
            Guard guard = new Guard(policy, approvals, audit, Clock.systemUTC());
            // Every known toolset's credential formats, enabled or not: a token can turn up in any output.
            Redactor redactor = new Redactor(
                    providers.stream().flatMap(p -> p.redactionRules().stream()).toList());
            // tools.read_only/include/exclude, applied once here: the gateway, and so tools/list, tools/call, the
            // CLI's table and ops://tools/catalog, only ever see the published tools.
            ToolFilter filter = new ToolFilter(settings.tools());
            List<OpsToolset> published = filter.apply(enabled.toolsets());
            OpsToolset guardToolset = new GuardToolset(approvals, rawAudit, policy, published, json);
            List<OpsToolset> toolsets = new ArrayList<>(published);
            toolsets.addAll(filter.apply(List.of(guardToolset)));
            List<OpsToolset> unfiltered = new ArrayList<>(enabled.toolsets());
            unfiltered.add(guardToolset);
            // alerts: (issue 17): the receivers' alerts, read through the policy like every read
            AlertSettings alertSettings = AlertSettings.from(config.tree().path("alerts"), System.getenv());
            AlertService alerts = null;
            if (alertSettings.enabled()) {
                alerts = new AlertService(
                        new DeferredAlertStore(() -> backend.get().stores().alerts()),
                        audit,
                        alertSettings,
                        Clock.systemUTC());
                alerts.onChange(alert -> {
                    if (subscribed.get() != null) {
                        subscribed.get().updated(AlertsToolset.ACTIVE);
                        subscribed.get().updated(alert.uri());
                    }
                });
                OpsToolset alertsToolset = new AlertsToolset(
                        alerts,
                        (caller, revealed) ->
                                guard.decideRead(caller, PolicyInput.RESOURCES_READ, "ops://alerts", "alerts", revealed)
                                        instanceof Decision.Allow);
                toolsets.addAll(filter.apply(List.of(alertsToolset)));
                unfiltered.add(alertsToolset);
            }
            List<String> warnings = new ArrayList<>(filter.warnings(unfiltered));
            SessionTools sessionTools = SessionTools.EVERY_TOOL;
            if (settings.tools().discovery()) {
                DiscoveryToolset discovery =
                        new DiscoveryToolset(toolsets, settings.tools().alwaysOn());
                toolsets.add(discovery);
                sessionTools = new ToolDiscovery(discovery, json);
            } else if (!settings.tools().alwaysOn().isEmpty()) {
                warnings.add("tools.always_on has no effect without tools.discovery");
            }
            // stdio compiles the tools' schemas after the first answer (FirstCallWarmUp), HTTP before it listens.
            ArgumentValidator validator = lazy ? ArgumentValidator.deferred() : new ArgumentValidator();
            ToolGateway gateway = new ToolGateway(
                    toolsets,
                    validator,
                    new ResultLimiter(settings.resultMaxBytes()),
                    guard,
                    redactor,
                    settings.toolTimeout(),
                    Clock.systemUTC(),
                    ToolGateway.maxArgumentBytes(config.tree()),
                    PrincipalLimits.fromConfig(config.tree()),
                    telemetry.callObserver());
            telemetry.registeredTools(gateway.tools().stream()
                    .map(t -> t.definition().name())
                    .collect(java.util.stream.Collectors.toSet()));
            Principal local = localPrincipal(settings);
            // stdio has no transport context: its caller is the local identity. Over HTTP the auth filter always
            // sets the principal; a request without one gets no roles rather than the local identity's.
            Principal fallback =
                    "stdio".equals(settings.transport()) ? local : new Principal("anonymous", Set.of(), "anonymous");
            GatewayToolAdapter.PrincipalResolver principals = exchange ->
                    exchange.transportContext().get(HttpAuthFilter.PRINCIPAL) instanceof Principal p ? p : fallback;
            ToolsetContentAdapter content = new ToolsetContentAdapter(toolsets, principals, redactor, guard);
            subscribed.set(new ResourceSubscriptions(
                    content::mayRead,
                    context -> context.get(HttpAuthFilter.PRINCIPAL) instanceof Principal p ? p : fallback));
            McpFeatures features =
                    new GatewayToolAdapter(gateway, json, principals).features().plus(content.features());
            for (McpFeatureContributor contributor : enabled.contributors()) {
                features = features.plus(contributor.features());
            }
            McpJsonMapper mcpJson = new CallRequestMapper(new JacksonMcpJsonMapper(json));
            McpServerFactory factory = new McpServerFactory(
                    features, mcpJson, Version.current(), Duration.ofMinutes(5), sessionTools, subscribed.get());
            log.debug("{} tool(s) published", features.tools().size());
            OpsMcpRuntime runtime = new OpsMcpRuntime(
                    config,
                    enabled.sandboxes(),
                    backend,
                    enabled.toolsets(),
                    approvals,
                    gateway,
                    features,
                    factory,
                    catalog,
                    warnings,
                    telemetry);
            if (alerts != null) {
                runtime.webhooks = new Webhooks(alerts, SnsCertificates.pinnedToAws());
            }
            runtime.redactor = redactor;
            runtime.calls = calls;
            if (lazy) {
                runtime.warmUp = () -> {
                    // what every call runs first; a tool's schema is also compiled by its own first call
                    Backend ready = backend.get();
                    io.opsmcp.server.start.FirstCallWarmUp.run(
                            ready.untimed(),
                            ready.stores().audit(),
                            ready.stores()::rehearseAuditAppend,
                            redactor,
                            mcpJson,
                            local,
                            calls);
                    if (calls.begun()) {
                        return; // not now: the cores are the call's; each tool's first call compiles its schema
                    }
                    try {
                        validator.compileAll(calls::begun); // and stops between two schemas once one begins
                    } catch (IllegalArgumentException e) { // a tool's own schema: its calls fail with this too
                        log.error("{}", e.getMessage());
                    }
                    if (!calls.begun()) {
                        // The start leaves the young generation full of its garbage, and the collection it makes
                        // due (10-30 ms with the launcher's small heap) would otherwise fall inside the first call.
                        System.gc();
                    }
                };
            }
            runtime.notifier = startNotifier(config, approvals, redactor, audit);
            return runtime;
        } catch (RuntimeException e) {
            if (telemetry != null) {
                telemetry.close();
            }
            enabled.toolsets().forEach(OpsToolset::close);
            enabled.sandboxes().forEach(ToolsetSandbox::close);
            throw e;
        }
    }

    private static Backend openBackend(OpsMcpConfig config, Telemetry telemetry) {
        ServerSettings settings = config.server();
        // The policy compiles on a thread of its own while the store opens: neither needs the other, and on a busy
        // machine two threads get the cores' time sooner than one doing both in turn (issue 16: the first call
        // waits for both).
        Deferred<PolicyEngine> compiling = new Deferred<>(
                "policy", () -> PolicyEngines.create(config.tree().path("policy"), settings.dataDir()));
        compiling.start();
        Stores stores;
        try {
            stores = Stores.open(config.tree().path("store"), settings.dataDir());
        } catch (RuntimeException | Error e) {
            try {
                compiling.close(); // waits for the compile and closes its engine; a failed compile has nothing to close
            } catch (Exception ignored) {
                // the store's failure is the one reported
            }
            throw e;
        }
        PolicyEngine policy = null;
        try {
            PolicyEngine engine = compiling.get();
            policy = engine;
            policy = telemetry.timed(engine);
            // This process holds the embedded store: the CLI reaches it through the control socket.
            io.opsmcp.server.cli.ControlSocket control = Stores.isEmbedded(
                            config.tree().path("store"))
                    ? io.opsmcp.server.cli.ControlSocket.start(config, stores).orElse(null)
                    : null;
            log.info(
                    "ops-mcp {}: toolsets {}, policy {}, store {}, config from {}, data in {}",
                    Version.current(),
                    settings.toolsets(),
                    policy.description(),
                    stores.description(),
                    config.source(),
                    settings.dataDir());
            return new Backend(stores, policy, engine, control);
        } catch (RuntimeException e) {
            if (policy != null) {
                policy.close();
            }
            stores.close();
            throw e;
        }
    }

    /**
     * Starts, each on a background thread, what {@link #startLazily} left for later (the stores and the policy, the
     * sandboxes' and toolsets' deferred work) once, however often it is called; returns at once. The stdio transport
     * calls it once its first answer is written; after a lazy start the stores and the policy come first, then the
     * side-effect-free part of a call ({@link io.opsmcp.server.start.FirstCallWarmUp}), then, {@link
     * #REST_AFTER_WARM_UP} later, the sandboxes' and toolsets' work.
     */
    public void startInBackground() {
        if (backgroundStarted.compareAndSet(false, true)) {
            backend.start();
            if (warmUp == null) {
                sandboxes.forEach(ToolsetSandbox::startInBackground);
                toolsets.forEach(OpsToolset::startInBackground);
                return;
            }
            // stdio: the first call needs the store and the policy, rarely the sandbox's SSH server or the search
            // index, which start on their first use anyway. On busy cores they would slow the store and the
            // first call down: they follow the warm-up after a pause in which a first call runs alone.
            Thread after = new Thread(
                    () -> {
                        try {
                            backend.get();
                            warmUp.run();
                            Thread.sleep(REST_AFTER_WARM_UP.toMillis());
                        } catch (RuntimeException e) {
                            // logged by the backend's start; calls fail with it
                        } catch (InterruptedException e) {
                            return; // closed meanwhile
                        }
                        if (closed) {
                            return;
                        }
                        sandboxes.forEach(ToolsetSandbox::startInBackground);
                        toolsets.forEach(OpsToolset::startInBackground);
                    },
                    "first-call-warm-up");
            after.setDaemon(true);
            afterWarmUp = after;
            after.start();
        }
    }

    /**
     * Tells the runtime that a {@code tools/call} request has arrived (the stdio transport calls it as it reads the
     * line, before the MCP SDK parses it): the first-call warm-up stops at its next step and skips its collection,
     * which would otherwise run on the cores the call needs. Changes nothing else; idempotent, one volatile write.
     */
    public void callArriving() {
        calls.begin();
    }

    /**
     * Waits for what {@link #startInBackground()} started (the stores, the control socket, the policy).
     *
     * @throws RuntimeException why they could not start (e.g. the embedded store is held by another process, a policy
     *     bundle does not compile); already logged, its message written for the operator
     */
    public void awaitBackend() {
        backend.get();
    }

    /** Approval notifications to the configured sinks, linking to the approval page (see ApprovalLinks). */
    private static io.opsmcp.notify.Notifier startNotifier(
            OpsMcpConfig config, ApprovalService approvals, Redactor redactor, AuditStore audit) {
        try {
            return io.opsmcp.notify.NotificationSettings.fromConfig(config.tree(), System.getenv())
                    .map(n -> io.opsmcp.notify.Notifier.start(
                            n,
                            approvals,
                            redactor,
                            audit,
                            io.opsmcp.server.ui.ApprovalLinks.of(config)::link,
                            Clock.systemUTC(),
                            Duration.ofSeconds(30)))
                    .orElse(null);
        } catch (IllegalArgumentException e) {
            throw new io.opsmcp.server.config.ConfigException(e.getMessage());
        }
    }

    /** The redactor with every known toolset's rules. */
    public Redactor redactor() {
        return redactor;
    }

    /** The configured local identity ({@code identity.id}, default the OS user) and its roles. */
    public Principal localPrincipal() {
        return localPrincipal(config.server());
    }

    private static Principal localPrincipal(ServerSettings settings) {
        return new Principal(settings.principalId(), settings.principalRoles(), "local");
    }

    public OpsMcpConfig config() {
        return config;
    }

    public ToolGateway gateway() {
        return gateway;
    }

    public McpFeatures features() {
        return features;
    }

    /** The approval and audit stores. */
    public Stores stores() {
        return backend.get().stores();
    }

    /** The approvals, under their rules (the HTTP API votes through this). */
    public ApprovalService approvals() {
        return approvals;
    }

    /** The webhook receivers ({@code POST /hooks/…}); empty when {@code alerts:} configures none. */
    public Optional<Webhooks> webhooks() {
        return Optional.ofNullable(webhooks);
    }

    public McpServerFactory serverFactory() {
        return serverFactory;
    }

    public ToolsetCatalog catalog() {
        return catalog;
    }

    /** Traces and metrics ({@code telemetry:}); everything off by default. */
    public Telemetry telemetry() {
        return telemetry;
    }

    /**
     * Configuration warnings found at start (a {@code tools.include}/{@code tools.exclude} pattern that matches no
     * tool, ...): logged, and printed on stderr by the commands that serve or list tools.
     */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public void close() {
        closed = true;
        if (afterWarmUp != null) {
            afterWarmUp.interrupt();
        }
        List<RuntimeException> errors = new ArrayList<>();
        // telemetry last: the spans of the calls that ended during shutdown are flushed
        List<AutoCloseable> order = new ArrayList<>();
        if (notifier != null) { // before the stores: its last deliveries are audited
            order.add(notifier);
        }
        order.addAll(List.of(gateway, backend, telemetry));
        order.addAll(sandboxes);
        for (AutoCloseable c : order) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                errors.add(new RuntimeException(e));
            }
        }
        if (!errors.isEmpty()) {
            log.warn(
                    "errors while shutting down: {}",
                    errors.stream().map(Throwable::getMessage).toList());
        }
    }
}
