package io.opsmcp.tools.gitlab.client;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code rel="next"} target of an HTTP {@code Link} header (RFC 8288), as GitLab sends for offset and
 * keyset pagination: {@code <https://gitlab.example.com/api/v4/projects?...&id_after=42>; rel="next", <…>; rel="first"}.
 */
final class LinkHeader {

    private static final Pattern LINK = Pattern.compile("<([^>]*)>((?:\\s*;\\s*[^,;]+)*)");
    private static final Pattern REL = Pattern.compile("(?i)rel\\s*=\\s*\"?([^\";]+)\"?");

    private LinkHeader() {}

    /** The URI of the link whose relation types include {@code next}, if any of the header values has one. */
    static Optional<String> next(List<String> headerValues) {
        for (String value : headerValues) {
            Matcher m = LINK.matcher(value);
            while (m.find()) {
                Matcher rel = REL.matcher(m.group(2));
                if (rel.find()
                        && List.of(rel.group(1).trim().toLowerCase().split("\\s+"))
                                .contains("next")) {
                    return Optional.of(m.group(1).trim());
                }
            }
        }
        return Optional.empty();
    }
}
