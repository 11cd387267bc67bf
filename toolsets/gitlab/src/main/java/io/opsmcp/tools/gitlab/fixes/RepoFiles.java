package io.opsmcp.tools.gitlab.fixes;

import java.util.Optional;

/** Reads files of one repository at one ref. */
@FunctionalInterface
public interface RepoFiles {

    /** The file's text, or empty when the file does not exist. */
    Optional<String> read(String path);
}
