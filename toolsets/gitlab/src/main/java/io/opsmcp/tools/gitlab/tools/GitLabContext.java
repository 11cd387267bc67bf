package io.opsmcp.tools.gitlab.tools;

import java.time.Clock;

import io.opsmcp.tools.gitlab.analysis.Classifier;
import io.opsmcp.tools.gitlab.config.GitLabSettings;

/** What every GitLab tool shares: settings, project resolution and scope, the classifier, the clock. */
record GitLabContext(GitLabSettings settings, ProjectResolver resolver, Classifier classifier, Clock clock) {
}
