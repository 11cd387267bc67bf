package io.opsmcp.server.ui;

import io.opsmcp.server.config.OpsMcpConfig;
import io.opsmcp.server.config.ServerSettings;
import java.net.URI;
import java.util.Optional;

/**
 * Where an approval's page is, for notifications and the demo: {@code ui.public_url} + {@code /ui/approvals/{id}};
 * without a public URL, {@code http://127.0.0.1:<port>} when the HTTP transport is bound to loopback on a fixed port;
 * otherwise none (a link nobody can open is worse than no link).
 *
 * @param base the origin, or empty
 */
public record ApprovalLinks(Optional<URI> base) {

    /** The links of this configuration. */
    public static ApprovalLinks of(OpsMcpConfig config) {
        UiSettings ui = UiSettings.fromConfig(config.tree(), System.getenv());
        if (ui.publicUrl().isPresent()) {
            return new ApprovalLinks(ui.publicUrl());
        }
        ServerSettings s = config.server();
        if ("http".equals(s.transport()) && ApprovalPages.isLoopback(s.bind()) && s.port() > 0) {
            return new ApprovalLinks(Optional.of(URI.create("http://127.0.0.1:" + s.port())));
        }
        return new ApprovalLinks(Optional.empty());
    }

    /** The page of approval {@code id}, or {@code null} when there is no base. */
    public URI link(String id) {
        return base.map(b -> URI.create(b + "/ui/approvals/" + id)).orElse(null);
    }
}
