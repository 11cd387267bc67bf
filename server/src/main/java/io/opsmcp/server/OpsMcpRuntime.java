package io.opsmcp.server;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
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
import io.opsmcp.guard.policy.Guard;
import io.opsmcp.guard.policy.GuardToolset;
import io.opsmcp.guard.policy.PolicyEngine;
import io.opsmcp.guard.policy.PolicyEngines;
import io.opsmcp.limits.PrincipalLimits;
import io.opsmcp.server.auth.HttpAuthFilter;
import io.opsmcp.server.config.OpsMcpConfig;
import io.opsmcp.server.config.ServerSettings;
import io.opsmcp.server.mcp.GatewayToolAdapter;
import io.opsmcp.server.mcp.McpFeatureContributor;
import io.opsmcp.server.mcp.McpFeatures;
import io.opsmcp.server.mcp.McpServerFactory;
import io.opsmcp.server.mcp.ResourceSubscriptions;
import io.opsmcp.server.mcp.SessionTools;
import io.opsmcp.server.mcp.ToolsetContentAdapter;
import io.opsmcp.server.toolsets.DiscoveryToolset;
import io.opsmcp.server.toolsets.ToolDiscovery;
import io.opsmcp.server.toolsets.ToolFilter;
import io.opsmcp.server.toolsets.ToolsetCatalog;
import io.opsmcp.store.jdbc.Stores;
import io.opsmcp.telemetry.Telemetry;
import io.opsmcp.telemetry.TelemetrySettings;
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
    private final Stores stores;
    private final ApprovalService approvals;
    /** The CLI's way to the embedded store while this process holds it; {@code null} for PostgreSQL. */
    private io.opsmcp.server.cli.ControlSocket control;
    /** Every known toolset's redaction rules (the approval page and notifications show text through it). */
    private Redactor redactor = new Redactor();
    /** Approval notifications ({@code notifications:}), or {@code null} when none are configured. */
    private io.opsmcp.notify.Notifier notifier;

    private final PolicyEngine policy;
    private final ToolGateway gateway;
    private final McpFeatures features;
    private final McpServerFactory serverFactory;
    private final ToolsetCatalog catalog;
    private final List<String> warnings;
    private final Telemetry telemetry;

    private OpsMcpRuntime(
            OpsMcpConfig config,
            List<ToolsetSandbox> sandboxes,
            Stores stores,
            ApprovalService approvals,
            PolicyEngine policy,
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
        this.stores = stores;
        this.approvals = approvals;
        this.policy = policy;
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
     * Builds the runtime: creates the data directory, starts the sandbox when asked, creates the enabled
     * toolsets and wires the gateway.
     *
     * @throws io.opsmcp.server.config.ConfigException for configuration errors (shown to the operator as is)
     */
    public static OpsMcpRuntime start(OpsMcpConfig config) {
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
                settings.dataDir().resolve("sandbox"));
        Stores stores = null;
        PolicyEngine policy = null;
        Telemetry telemetry = null;
        try {
            // Off unless telemetry.traces/metrics.enabled: then nothing is started and every hook is a no-op.
            telemetry = Telemetry.start(
                    TelemetrySettings.from(config.tree().path("telemetry"), System.getenv()), Version.current());
            stores = Stores.open(config.tree().path("store"), settings.dataDir());
            policy = telemetry.timed(PolicyEngines.create(config.tree().path("policy"), settings.dataDir()));
            ApprovalService approvals = new ApprovalService(stores.approvals(), Clock.systemUTC());
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
            AuditStore audit = new ObservedAuditStore(telemetry.timed(stores.audit()), () -> {
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
            OpsToolset guardToolset = new GuardToolset(approvals, stores.audit(), policy, published, json);
            List<OpsToolset> toolsets = new ArrayList<>(published);
            toolsets.addAll(filter.apply(List.of(guardToolset)));
            List<OpsToolset> unfiltered = new ArrayList<>(enabled.toolsets());
            unfiltered.add(guardToolset);
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
            ToolGateway gateway = new ToolGateway(
                    toolsets,
                    new ArgumentValidator(),
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
            McpJsonMapper mcpJson = new JacksonMcpJsonMapper(json);
            McpServerFactory factory = new McpServerFactory(
                    features, mcpJson, Version.current(), Duration.ofMinutes(5), sessionTools, subscribed.get());
            log.info(
                    "ops-mcp {}: toolsets {}, {} tool(s), policy {}, store {}, config from {}, data in {}",
                    Version.current(),
                    settings.toolsets(),
                    features.tools().size(),
                    policy.description(),
                    stores.description(),
                    config.source(),
                    settings.dataDir());
            OpsMcpRuntime runtime = new OpsMcpRuntime(
                    config,
                    enabled.sandboxes(),
                    stores,
                    approvals,
                    policy,
                    gateway,
                    features,
                    factory,
                    catalog,
                    warnings,
                    telemetry);
            runtime.redactor = redactor;
            runtime.notifier = startNotifier(config, approvals, redactor, audit);
            if (Stores.isEmbedded(config.tree().path("store"))) {
                // This process holds the embedded store: the CLI reaches it through the control socket.
                runtime.control =
                        io.opsmcp.server.cli.ControlSocket.start(config, stores).orElse(null);
            }
            return runtime;
        } catch (RuntimeException e) {
            if (policy != null) {
                policy.close();
            }
            if (stores != null) {
                stores.close();
            }
            if (telemetry != null) {
                telemetry.close();
            }
            enabled.toolsets().forEach(OpsToolset::close);
            enabled.sandboxes().forEach(ToolsetSandbox::close);
            throw e;
        }
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
        return stores;
    }

    /** The approvals, under their rules (the HTTP API votes through this). */
    public ApprovalService approvals() {
        return approvals;
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
        List<RuntimeException> errors = new ArrayList<>();
        List<AutoCloseable> order = new ArrayList<>();
        if (control != null) {
            order.add(control);
        }
        if (notifier != null) {
            order.add(notifier);
        }
        // telemetry last: the spans of the calls that ended during shutdown are flushed
        order.addAll(List.of(gateway, policy, stores, telemetry));
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
