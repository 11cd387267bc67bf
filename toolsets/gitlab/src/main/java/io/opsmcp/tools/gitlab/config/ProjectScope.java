package io.opsmcp.tools.gitlab.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One {@code projects} entry of an instance: a glob over project paths and the environment those projects
 * belong to.
 *
 * <p>Glob syntax (the usual shell/gitignore meaning, applied to {@code /}-separated project paths): {@code *}
 * matches any characters within one path segment, {@code **} matches any characters across segments,
 * {@code ?} one character within a segment; everything else is literal. Matching ignores case, as GitLab paths do.
 * So {@code shop/*} matches {@code shop/checkout} but not {@code shop/team/checkout}; {@code platform/**} matches
 * both {@code platform/infra} and {@code platform/infra/dns}.
 *
 * @param pattern     the glob as configured
 * @param environment environment name ({@code dev}, {@code staging}, {@code prod}, …)
 */
public record ProjectScope(String pattern, String environment) {

    public ProjectScope {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(environment, "environment");
    }

    /** Whether the project path falls under this glob. */
    public boolean matches(String projectPath) {
        return regex(pattern).matcher(projectPath).matches();
    }

    /** Translates the glob into an anchored, case-insensitive regular expression. */
    static Pattern regex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }
}
