package io.opsmcp.tools.gitlab.client;

import io.opsmcp.core.tool.ToolException;

/** A GitLab API call answered with an error status (after retries); the message is safe to show a client. */
public final class GitLabApiException extends ToolException {

    private final int status;

    public GitLabApiException(Kind kind, int status, String message) {
        super(kind, message);
        this.status = status;
    }

    /** The HTTP status GitLab answered with. */
    public int status() {
        return status;
    }
}
