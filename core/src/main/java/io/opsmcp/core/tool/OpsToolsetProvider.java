package io.opsmcp.core.tool;

import io.opsmcp.core.redact.RedactionRule;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Service-provider interface ({@link java.util.ServiceLoader}) through which the server finds tool modules
 * without depending on them at compile time. A provider reads its own section of the configuration.
 */
public interface OpsToolsetProvider {

    /** The toolset name this provider creates; unique across the class path. */
    String name();

    /** One line describing the toolset. */
    String description();

    /**
     * Whether the toolset is on without being named in {@code toolsets} (prompts, runbooks: content with no
     * reach into outside systems).
     */
    default boolean alwaysEnabled() {
        return false;
    }

    /**
     * The top-level sections of {@code ops-mcp.yaml} this provider reads ({@code aws}, {@code hosts}, ...). The
     * server accepts them as top-level keys and rejects every other key it does not own itself, so a misspelt
     * section fails the start instead of being ignored. The provider checks its sections' contents.
     */
    default Set<String> settingsSections() {
        return Set.of();
    }

    /**
     * Reads what the toolset ships with (its built-in catalog, templates: never the operator's settings or files),
     * so that {@link #create} finds it read. A stdio server calls it on a background thread while its main thread
     * does other start-up work. {@link #create} must behave the same whether this ran, is running (it waits for the
     * read under way) or never ran, and a failure of the read must fail {@link #create} with the same error. Must
     * not log (it may run while logging is being set up). Default: nothing.
     */
    default void prepare() {}

    /**
     * Builds the toolset from configuration. Called once at start, only when the toolset is enabled.
     *
     * @param settings the whole configuration tree ({@code ops-mcp.yaml} after environment overrides); the
     *                 provider reads the sections it owns
     * @param dataDir  the server's data directory (exists, writable)
     * @throws IllegalArgumentException with a message naming the setting when its configuration is invalid
     */
    OpsToolset create(JsonNode settings, Path dataDir);

    /**
     * Credential formats of the systems this toolset talks to (token prefixes, credential headers), removed by
     * the server's redactor from every result, error and audit record whether or not the toolset is enabled;
     * none by default. Generic formats are built in.
     */
    default List<RedactionRule> redactionRules() {
        return List.of();
    }
}
