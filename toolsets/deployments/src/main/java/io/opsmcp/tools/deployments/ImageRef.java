package io.opsmcp.tools.deployments;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container image reference split as the Docker reference grammar does ({@code distribution/reference}):
 * {@code [registry/]repository[:tag][@digest]}. The first path component is a registry when it contains a
 * {@code .} or {@code :} or is {@code localhost}.
 *
 * @param image      the reference as written in the task definition
 * @param registry   registry host (and port), or {@code null} for Docker Hub style references
 * @param repository repository path without registry ({@code shop/checkout})
 * @param tag        tag, or {@code null} (no tag, or pinned by digest only)
 * @param digest     {@code sha256:…}, or {@code null}
 */
record ImageRef(String image, String registry, String repository, String tag, String digest) {

    /**
     * A commit sha inside a tag: the whole tag ({@code 4f2a9c1}, CI_COMMIT_SHORT_SHA / CI_COMMIT_SHA), or its last
     * {@code -}/{@code _}/{@code .}-separated part, optionally prefixed {@code sha-} (docker/metadata-action) or
     * {@code g} (git describe: {@code v1.4.0-3-g4f2a9c1}). 7..40 lower-case hex digits.
     */
    private static final Pattern SHA_IN_TAG = Pattern.compile("^(?:.*[-_.])?(?:sha-|g)?([0-9a-f]{7,40})$");

    static ImageRef parse(String image) {
        String rest = image.strip();
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        String registry = null;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                rest = rest.substring(slash + 1);
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        return new ImageRef(image, registry, rest, tag == null || tag.isEmpty() ? null : tag, digest);
    }

    /** The commit sha (or prefix) the tag names, when it has the shape of one. */
    Optional<String> commitInTag() {
        if (tag == null) {
            return Optional.empty();
        }
        Matcher m = SHA_IN_TAG.matcher(tag);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * GitLab project paths the repository could be: the repository path itself when it has at least two
     * segments ({@code registry.gitlab.example.com/shop/checkout}), and its parent when it has three or more
     * (GitLab registries allow {@code group/project/image}).
     */
    List<String> projectCandidates() {
        List<String> out = new ArrayList<>();
        String[] parts = repository.split("/");
        if (parts.length >= 2) {
            out.add(repository);
        }
        if (parts.length >= 3) {
            out.add(repository.substring(0, repository.lastIndexOf('/')));
        }
        return out;
    }
}
