package io.opsmcp.server;

/** The build's version, from the jar manifest ({@code Implementation-Version}); {@code dev} when run from classes. */
public final class Version {

    private Version() {}

    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
