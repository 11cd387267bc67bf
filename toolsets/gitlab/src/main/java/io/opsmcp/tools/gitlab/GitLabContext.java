package io.opsmcp.tools.gitlab;

import io.opsmcp.tools.gitlab.analysis.Classifier;
import io.opsmcp.tools.gitlab.config.GitLabSettings;
import io.opsmcp.tools.gitlab.projects.ProjectResolver;
import java.time.Clock;

/** What every GitLab tool shares: settings, project resolution and scope, the classifier, the clock. */
public record GitLabContext(GitLabSettings settings, ProjectResolver resolver, Classifier classifier, Clock clock) {}
