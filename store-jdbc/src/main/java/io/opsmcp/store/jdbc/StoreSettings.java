package io.opsmcp.store.jdbc;

import io.opsmcp.core.config.InvalidConfigException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The {@code store} section of {@code ops-mcp.yaml}:
 * <pre>
 * store:
 *   type: embedded            # default: an H2 database file &lt;data_dir&gt;/ops-mcp.mv.db
 * store:
 *   type: postgres
 *   url: jdbc:postgresql://db.internal:5432/opsmcp
 *   user: opsmcp
 *   password_env: OPS_MCP_DB_PASSWORD   # name of the environment variable holding the password
 * </pre>
 *
 * @param type     {@code embedded} or {@code postgres}
 * @param jdbcUrl  the JDBC URL to connect to
 * @param user     database user
 * @param password database password ({@code ""} when none); never printed
 */
record StoreSettings(String type, String jdbcUrl, String user, String password) {

    static final String EMBEDDED = "embedded";
    static final String POSTGRES = "postgres";
    private static final Set<String> KEYS = Set.of("type", "url", "user", "password_env");

    /**
     * Reads the section.
     *
     * @param section the {@code store} node, or {@code null}/missing for the embedded default
     * @param dataDir the data directory (for the embedded file)
     * @param env     environment variables (for {@code password_env})
     * @throws InvalidConfigException naming the setting and the rule
     */
    static StoreSettings from(JsonNode section, Path dataDir, Map<String, String> env) {
        if (section == null || section.isMissingNode() || section.isNull()) {
            return embedded(dataDir);
        }
        if (!section.isObject()) {
            throw new InvalidConfigException("store: must be a mapping with type, url, user, password_env");
        }
        for (String key : section.propertyNames()) {
            if (!KEYS.contains(key)) {
                throw new InvalidConfigException(
                        "store." + key + ": unknown setting (known: type, url, user, password_env)");
            }
        }
        String type = text(section, "type", EMBEDDED);
        return switch (type) {
            case EMBEDDED -> {
                for (String key : new String[] {"url", "user", "password_env"}) {
                    if (section.has(key)) {
                        throw new InvalidConfigException(
                                "store." + key + ": only for store.type postgres; the embedded store" + " is the file "
                                        + dataDir.resolve("ops-mcp") + ".mv.db in the data directory");
                    }
                }
                yield embedded(dataDir);
            }
            case POSTGRES -> postgres(section, env);
            default ->
                throw new InvalidConfigException("store.type: must be embedded or postgres (got '" + type + "')");
        };
    }

    private static StoreSettings embedded(Path dataDir) {
        if (dataDir == null) {
            throw new InvalidConfigException("data_dir: required for the embedded store");
        }
        Path file = dataDir.toAbsolutePath().resolve("ops-mcp");
        // No AUTO_SERVER: it opened a TCP port any local user could reach. One process holds the file (H2's file
        // lock); the CLI reaches a running server over its control socket instead (cli/ControlSocket). The
        // password is set by Stores from a secret file in the data directory. Durability: the stores CHECKPOINT
        // after each write (see Stores).
        String url = "jdbc:h2:file:" + file + ";LOCK_TIMEOUT=10000";
        return new StoreSettings(EMBEDDED, url, "sa", "");
    }

    /** The same settings with another password (the embedded store's secret). */
    StoreSettings withPassword(String secret) {
        return new StoreSettings(type, jdbcUrl, user, secret);
    }

    private static StoreSettings postgres(JsonNode section, Map<String, String> env) {
        String url = text(section, "url", null);
        if (url == null || url.isBlank()) {
            throw new InvalidConfigException("store.url: required when store.type is postgres"
                    + " (e.g. jdbc:postgresql://db.internal:5432/opsmcp)");
        }
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new InvalidConfigException(
                    "store.url: must start with jdbc:postgresql:// (got '" + withoutQuery(url) + "')");
        }
        if (url.contains("password=")) {
            throw new InvalidConfigException("store.url: must not contain the password; name an environment variable in"
                    + " store.password_env instead");
        }
        if (hasUserInfo(url)) {
            // user:password@host: the driver takes it for a host name and quotes it in its errors, which the store
            // passes on (logs, the answer to a call); the URL itself is not repeated here
            throw new InvalidConfigException("store.url: must not contain a user or password (user:password@host); set"
                    + " store.user, and name an environment variable holding the password in store.password_env");
        }
        String user = text(section, "user", null);
        if (user == null || user.isBlank()) {
            throw new InvalidConfigException("store.user: required when store.type is postgres");
        }
        String passwordEnv = text(section, "password_env", null);
        String password = "";
        if (passwordEnv != null) {
            password = env.get(passwordEnv);
            if (password == null) {
                throw new InvalidConfigException(
                        "store.password_env: environment variable " + passwordEnv + " is not set");
            }
        }
        return new StoreSettings(POSTGRES, url, user, password);
    }

    /** Whether the URL's authority (between {@code //} and the path or query) holds an {@code @}. */
    private static boolean hasUserInfo(String url) {
        int start = url.indexOf("//") + 2;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        return url.substring(start, end).indexOf('@') >= 0;
    }

    private static String text(JsonNode section, String key, String fallback) {
        JsonNode value = section.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isString()) {
            throw new InvalidConfigException("store." + key + ": must be a string");
        }
        return value.asString().strip();
    }

    /** The URL as safe to show: without query parameters, which may carry credentials. */
    String displayUrl() {
        return withoutQuery(jdbcUrl);
    }

    private static String withoutQuery(String url) {
        int cut = url.indexOf(url.startsWith("jdbc:h2:") ? ';' : '?');
        return cut < 0 ? url : url.substring(0, cut);
    }

    @Override
    public String toString() {
        return "StoreSettings[type=" + type + ", url=" + displayUrl() + ", user=" + user + "]";
    }
}
