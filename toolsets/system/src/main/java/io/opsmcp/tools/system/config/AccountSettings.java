package io.opsmcp.tools.system.config;

import io.opsmcp.toolkit.config.ConfigBinding;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * {@code host_changes.accounts:}: whether the account tools exist ({@code enabled}, default false: like
 * {@code host_exec}, changing who can log in is switched on by the operator, and the tools cost no context until
 * then) and which local accounts {@code host_account_unlock} and {@code host_account_expire} may change. The default
 * refuses every system account: {@code root}, uids below 1000 and above 60000 (the
 * {@code UID_MIN}/{@code UID_MAX} defaults of login.defs(5); {@code nobody} is 65534), and the SSH login user of any
 * configured host (locking it would lock ops-mcp itself out). Reading an account's status is never restricted.
 *
 * @param enabled   whether host_account_status, host_account_unlock and host_account_expire exist
 * @param minUid    the lowest uid that may be changed
 * @param maxUid    the highest uid that may be changed
 * @param protectedNames names never changed, in addition to {@code root} and the hosts' login users
 */
public record AccountSettings(boolean enabled, long minUid, long maxUid, Set<String> protectedNames) {

    /** The POSIX portable user name (POSIX.1-2017 3.437, 3.282) as shadow-utils accepts it, at most 32 characters. */
    public static final String USER_PATTERN = "^[a-z_][a-z0-9_-]*[$]?$";

    public static final int USER_MAX_LENGTH = 32;

    private static final Pattern USER = Pattern.compile(USER_PATTERN);

    /** Off; uids 1000..60000, nothing else protected. */
    public static final AccountSettings DEFAULT = new AccountSettings(false, 1000, 60000, Set.of());

    public AccountSettings {
        protectedNames = Set.copyOf(new TreeSet<>(protectedNames));
    }

    /** Whether {@code name} is a valid user name (see {@link #USER_PATTERN}). */
    public static boolean validUserName(String name) {
        return name != null
                && name.length() <= USER_MAX_LENGTH
                && USER.matcher(name).matches();
    }

    /**
     * {@code host_changes.accounts:} as written.
     *
     * @param enabled   default false
     * @param minUid    0..4294967294, default 1000
     * @param maxUid    at least {@code min_uid}, default 60000
     * @param protectedNames user names ({@value #USER_PATTERN}) never changed; {@code root} always is
     */
    public record Section(Boolean enabled, Long minUid, Long maxUid, List<String> protectedNames) {
        public Section {
            if (minUid != null && (minUid < 0 || minUid > 4_294_967_294L)) {
                throw new IllegalArgumentException("min_uid: must be a whole number 0..4294967294");
            }
            if (maxUid != null && (maxUid < 0 || maxUid > 4_294_967_294L)) {
                throw new IllegalArgumentException("max_uid: must be a whole number 0..4294967294");
            }
            long min = minUid == null ? DEFAULT.minUid() : minUid;
            long max = maxUid == null ? DEFAULT.maxUid() : maxUid;
            if (max < min) {
                throw new IllegalArgumentException("max_uid: must be at least min_uid (" + min + "), not " + max);
            }
            if (protectedNames != null) {
                for (int i = 0; i < protectedNames.size(); i++) {
                    if (!validUserName(protectedNames.get(i))) {
                        throw new IllegalArgumentException("protected_names[" + i + "]: must be a POSIX user name "
                                + USER_PATTERN + " of at most " + USER_MAX_LENGTH + " characters");
                    }
                }
            }
        }
    }

    /**
     * Reads {@code host_changes: {accounts: {enabled: false, min_uid: 1000, max_uid: 60000, protected_names: [...]}}}.
     *
     * @throws IllegalArgumentException naming the setting, e.g. {@code host_changes.accounts.max_uid: must be at
     *                                  least min_uid (1000), not 10}
     */
    public static AccountSettings parse(JsonNode settings) {
        MutatingSettings.Section section = ConfigBinding.bind(
                settings == null ? null : settings.get("host_changes"), "host_changes", MutatingSettings.Section.class);
        Section accounts = section.accounts();
        if (accounts == null) {
            return DEFAULT;
        }
        return new AccountSettings(
                Boolean.TRUE.equals(accounts.enabled()),
                accounts.minUid() == null ? DEFAULT.minUid() : accounts.minUid(),
                accounts.maxUid() == null ? DEFAULT.maxUid() : accounts.maxUid(),
                accounts.protectedNames() == null ? Set.of() : Set.copyOf(accounts.protectedNames()));
    }
}
