package io.opsmcp.tools.runbooks;

import io.opsmcp.core.resource.OpsResource;
import io.opsmcp.core.resource.OpsResourceTemplate;
import io.opsmcp.core.resource.ResourceContent;
import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.OpsTool;
import io.opsmcp.core.tool.OpsToolset;
import io.opsmcp.core.tool.Principal;
import io.opsmcp.core.tool.ToolException;
import io.opsmcp.core.tool.ToolException.Kind;
import io.opsmcp.toolkit.Deferred;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code runbooks} toolset: the tools {@code runbook_search} and {@code runbook_get}, the resource
 * {@code runbook://index} (every runbook with its tags) and the resource template {@code runbook://{id}} with
 * completion of ids. Content only: it reaches no outside system.
 *
 * <p>Everything is served from one {@link RunbookLibrary} behind one reference. With operator directories, they are
 * polled like the policy bundle directory ({@code policy.reload_interval_ms}): when the fingerprint of their
 * {@code *.md} files changes, the whole set is loaded again and, if every file is valid, swapped in at once (its
 * index built on first search); a set with an invalid file is not loaded — the error is logged once at ERROR
 * naming the file and the rule, and the last good set keeps being served.
 *
 * <p>Without operator directories the shipped library is parsed by its first use (a runbook tool, resource or
 * completion), or in the background after the server's first answer, whichever comes first: concurrent first uses wait
 * for the one parse, and a failure is logged once and thrown to every use. With directories they are parsed in the
 * constructor, so an invalid operator file still stops the start, naming the file.
 *
 * <p>The Lucene index is built by the first {@code runbook_search} (concurrent first searches wait for that one
 * build), never at start, on every transport: it loads ~800 classes (~7 MiB of RSS in metaspace, symbols and code that a
 * server keeps for its whole life), which a server that is never asked to search should not carry. The
 * {@code runbook://} resources and completions read the runbooks themselves and never need it.
 */
public final class RunbookToolset implements OpsToolset {

    static final String MIME = "text/markdown";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int MAX_COMPLETIONS = 100;
    private static final Logger log = LoggerFactory.getLogger(RunbookToolset.class);

    /** What one {@link #reload()} did. */
    public enum ReloadOutcome {
        /** The directories hold what is loaded (or there are none). */
        UNCHANGED,
        /** Changed runbooks were all valid and are now served. */
        RELOADED,
        /** Changed runbooks could not be loaded; the last good set is still served. */
        KEPT_LAST_GOOD
    }

    private final RunbookLoader loader;
    private final List<Path> directories;
    /** The library loaded at start (see the class comment for when it is parsed). */
    private final Deferred<RunbookLibrary> first;
    /** What the last {@link #reload()} swapped in; {@code null} until one did. */
    private final AtomicReference<RunbookLibrary> reloaded = new AtomicReference<>();
    /** The fingerprint of a changed set that failed to load, so the same failure is logged once, not every poll. */
    private volatile String failedFingerprint;

    private final ScheduledExecutorService poller;

    /** A fixed set of runbooks, never reloaded. */
    public RunbookToolset(List<Runbook> runbooks) {
        this.loader = null;
        this.directories = List.of();
        List<Runbook> fixed = List.copyOf(runbooks);
        this.first = new Deferred<>("runbooks", () -> new RunbookLibrary(fixed, ""));
        this.poller = null;
    }

    /**
     * The shipped library plus the operator directories, polled every {@code reloadInterval} for changes
     * ({@link Duration#ZERO}: never; {@link #reload()} can still be called).
     *
     * @throws IllegalArgumentException naming the file and the rule a runbook of the directories breaks (at start the
     *     server stops); without directories the shipped library is parsed by its first use
     */
    RunbookToolset(RunbookLoader loader, List<Path> directories, Duration reloadInterval) {
        this.loader = loader;
        this.directories = List.copyOf(directories);
        List<Path> dirs = this.directories;
        this.first = new Deferred<>("runbooks", () -> {
            try {
                String fingerprint = RunbookLibrary.fingerprint(dirs); // before the files are read: a change after
                return new RunbookLibrary(loader.load(dirs), fingerprint); // it is seen by the next poll
            } catch (RuntimeException e) {
                if (dirs.isEmpty()) { // else the start fails with it
                    log.error("runbooks cannot be loaded: {}", e.getMessage());
                }
                throw e;
            }
        });
        if (!dirs.isEmpty()) {
            first.get(); // an operator's invalid file stops the start, naming the file (README)
        }
        if (!this.directories.isEmpty() && !reloadInterval.isZero()) {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "runbook-directories-watch");
                t.setDaemon(true);
                return t;
            });
            long ms = reloadInterval.toMillis();
            poller.scheduleWithFixedDelay(this::reloadQuietly, ms, ms, TimeUnit.MILLISECONDS);
        } else {
            poller = null;
        }
    }

    /**
     * Loads the operator directories again if their runbooks changed since the last load. On failure the last good
     * set stays and the failure is logged at ERROR with the file and the reason. Called by the poller; safe to call
     * from tests.
     */
    public ReloadOutcome reload() {
        if (loader == null || directories.isEmpty()) {
            return ReloadOutcome.UNCHANGED;
        }
        RunbookLibrary before = library();
        String fingerprint;
        try {
            fingerprint = RunbookLibrary.fingerprint(directories);
        } catch (RuntimeException e) {
            log.error(
                    "runbooks.directories {} cannot be read ({}); still serving the {} runbooks loaded before",
                    directories,
                    e.getMessage(),
                    before.byId().size());
            return ReloadOutcome.KEPT_LAST_GOOD;
        }
        if (fingerprint.equals(before.fingerprint())) {
            return ReloadOutcome.UNCHANGED;
        }
        if (fingerprint.equals(failedFingerprint)) {
            return ReloadOutcome.KEPT_LAST_GOOD;
        }
        try {
            RunbookLibrary next = new RunbookLibrary(loader.load(directories), fingerprint);
            reloaded.set(next);
            failedFingerprint = null;
            log.info(
                    "runbooks.directories {} reloaded: {} runbooks (was {})",
                    directories,
                    next.byId().size(),
                    before.byId().size());
            return ReloadOutcome.RELOADED;
        } catch (RuntimeException e) {
            failedFingerprint = fingerprint;
            log.error(
                    "runbooks.directories changed but were NOT reloaded, still serving the {} runbooks loaded before: {}",
                    before.byId().size(),
                    e.getMessage());
            return ReloadOutcome.KEPT_LAST_GOOD;
        }
    }

    private void reloadQuietly() {
        try {
            reload();
        } catch (RuntimeException | Error e) {
            // a poller task that throws is never run again: keep watching
            log.error("runbook reload failed: {}", e.toString());
        }
    }

    private RunbookLibrary library() {
        RunbookLibrary r = reloaded.get();
        return r != null ? r : first.get();
    }

    private Map<String, Runbook> byId() {
        return library().byId();
    }

    /** Parses the runbooks loaded at start on a background thread unless their first use did already. */
    @Override
    public void startInBackground() {
        first.start();
    }

    @Override
    public String name() {
        return RunbookToolsetProvider.NAME;
    }

    @Override
    public String description() {
        return RunbookToolsetProvider.DESCRIPTION;
    }

    /** The runbooks, in load order. */
    public List<Runbook> runbooks() {
        return List.copyOf(byId().values());
    }

    /**
     * Full-text search (see {@link RunbookIndex}).
     *
     * @return hits, best first
     */
    public List<RunbookIndex.Hit> search(String query, String appliesTo, int limit) {
        return library().index().search(query, appliesTo, limit);
    }

    @Override
    public List<OpsTool> tools() {
        return List.of(new RunbookSearchTool(this), new RunbookGetTool(this));
    }

    @Override
    public List<OpsResource> resources() {
        return List.of(new IndexResource());
    }

    @Override
    public List<OpsResourceTemplate> resourceTemplates() {
        return List.of(new RunbookTemplate());
    }

    @Override
    public List<String> complete(String argument, String prefix, Map<String, String> context) {
        return "runbook".equals(argument) || "runbook_id".equals(argument) ? completeIds(prefix) : List.of();
    }

    /** A runbook id names a local runbook (readable by any known principal in the shipped policy). */
    @Override
    public ActionDescriptor describeCompletion(String argument, String value, Map<String, String> context) {
        return "runbook".equals(argument) || "runbook_id".equals(argument) ? localRead(value) : null;
    }

    /** Runbook ids that start with the prefix, then those that contain it. */
    List<String> completeIds(String prefix) {
        String p = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT);
        List<String> starts = new ArrayList<>();
        List<String> contains = new ArrayList<>();
        for (String id : byId().keySet()) {
            if (id.startsWith(p)) {
                starts.add(id);
            } else if (id.contains(p)) {
                contains.add(id);
            }
        }
        starts.addAll(contains);
        return starts.size() > MAX_COMPLETIONS ? starts.subList(0, MAX_COMPLETIONS) : starts;
    }

    Runbook require(String id) {
        Runbook r = byId().get(id);
        if (r == null) {
            List<String> close = completeIds(id == null ? "" : id.length() > 4 ? id.substring(0, 4) : id);
            throw new ToolException(
                    Kind.NOT_FOUND,
                    "no runbook with id '" + id + "'"
                            + (close.isEmpty()
                                    ? "; read runbook://index or use runbook_search"
                                    : "; similar ids: "
                                            + String.join(", ", close.subList(0, Math.min(5, close.size())))));
        }
        return r;
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
        RunbookLibrary r = reloaded.get();
        if (r != null) {
            r.close();
            return;
        }
        try {
            first.close(); // the library if it was parsed (waiting for a parse under way); one never begun is not
        } catch (Exception e) {
            log.debug("runbooks: {}", e.toString());
        }
    }

    /** A read of a local runbook (or the index): what every runbook tool, resource and completion reveals. */
    static ActionDescriptor localRead(String name) {
        return ActionDescriptor.read("local", "runbook", null, name, Map.of());
    }

    static ObjectNode property(String type, String description) {
        ObjectNode p = JSON.objectNode();
        p.put("type", type);
        p.put("description", description);
        return p;
    }

    private final class IndexResource implements OpsResource {
        @Override
        public Definition definition() {
            return new Definition(
                    "runbook://index",
                    "runbook-index",
                    "Runbook index",
                    "Every runbook: id, title, tags and what it applies to. Read one with runbook://{id}.",
                    MIME);
        }

        @Override
        public ActionDescriptor reveals() {
            return localRead("index");
        }

        @Override
        public ResourceContent read(Principal principal) {
            StringBuilder sb =
                    new StringBuilder("# Runbooks\n\n| id | title | tags | applies to |\n|---|---|---|---|\n");
            for (Runbook r : byId().values()) {
                sb.append("| [")
                        .append(r.id())
                        .append("](")
                        .append(r.uri())
                        .append(") | ")
                        .append(r.title())
                        .append(" | ")
                        .append(String.join(", ", r.tags()))
                        .append(" | ")
                        .append(String.join(", ", r.appliesTo()))
                        .append(" |\n");
            }
            return new ResourceContent("runbook://index", MIME, sb.toString());
        }
    }

    private final class RunbookTemplate implements OpsResourceTemplate {
        @Override
        public Definition definition() {
            return new Definition(
                    "runbook://{id}",
                    "runbook",
                    "Runbook",
                    "One operations runbook as Markdown: symptoms, diagnosis steps with the ops-mcp tools to use, "
                            + "fixes and how to verify them.",
                    MIME);
        }

        @Override
        public ActionDescriptor reveals(String uri, Map<String, String> variables) {
            return localRead(variables.get("id"));
        }

        @Override
        public ResourceContent read(String uri, Map<String, String> variables, Principal principal) {
            Runbook r = require(variables.get("id"));
            return new ResourceContent(uri, MIME, r.markdown());
        }

        @Override
        public List<String> complete(String variable, String prefix) {
            return "id".equals(variable) ? completeIds(prefix) : List.of();
        }
    }
}
