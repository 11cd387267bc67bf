package io.opsmcp.tools.gitlab;

import java.time.Clock;

import io.opsmcp.tools.gitlab.analysis.Classifier;
import io.opsmcp.tools.gitlab.config.GitLabSettings;
import io.opsmcp.tools.gitlab.projects.ProjectResolver;

/** What every GitLab tool shares: settings, project resolution and scope, the classifier, the clock. */
public record GitLabContext(GitLabSettings settings, ProjectResolver resolver, Classifier classifier, Clock clock) {
}
