package io.opsmcp.tools.system.hosts;

import io.opsmcp.toolkit.ArgSpec;
import io.opsmcp.tools.system.config.HostEntry;

/** The arguments several host tools share, declared once (schema property and typed reader). */
public final class HostArgs {

    /** systemd unit names (systemd.unit(5) allows these characters), never starting with '-'. */
    public static final String UNIT_PATTERN = "^[A-Za-z0-9@._:][A-Za-z0-9@._:-]{0,255}$";

    /** The {@code host} argument every host tool takes. */
    public static final ArgSpec<String> HOST = ArgSpec.string("host")
            .description("See host_list.")
            .pattern(HostEntry.NAME_PATTERN)
            .schemaPattern("^[a-z0-9][a-z0-9._-]*$") // no leading "-": option injection is refused by the schema too
            .required();

    private HostArgs() {}

    /** A required {@code unit} argument (a systemd unit or SysV service name). */
    public static ArgSpec<String> unit(String description) {
        return ArgSpec.string("unit")
                .description(description)
                .pattern(UNIT_PATTERN)
                .required();
    }
}
