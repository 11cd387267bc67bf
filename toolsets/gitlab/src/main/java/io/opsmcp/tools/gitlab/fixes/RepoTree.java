package io.opsmcp.tools.gitlab.fixes;

import java.util.Collection;
import java.util.Optional;

/** The paths (files and directories) of one repository at one ref. */
@FunctionalInterface
public interface RepoTree {

    /**
     * All paths, relative to the repository root, {@code /}-separated.
     *
     * @throws FixException when the tree cannot be listed completely
     */
    Collection<String> paths();

    /**
     * The first path that provides a Python module or package named {@code module} anywhere in the tree, or
     * empty: a file {@code module.py}, {@code module.pyi} or an extension {@code module.*.so}/{@code .pyd}, or a
     * directory {@code module} holding Python files (a package, also without {@code __init__.py}; a directory of
     * the same name without Python files, e.g. {@code docker/} of Dockerfiles, does not count).
     */
    default Optional<String> find(String module) {
        Collection<String> all = paths();
        for (String path : all) {
            String last = path.substring(path.lastIndexOf('/') + 1);
            if (last.equals(module + ".py")
                    || last.equals(module + ".pyi")
                    || last.startsWith(module + ".") && (last.endsWith(".so") || last.endsWith(".pyd"))) {
                return Optional.of(path);
            }
        }
        for (String path : all) {
            String last = path.substring(path.lastIndexOf('/') + 1);
            if (last.equals(module)) {
                String prefix = path + "/";
                for (String inner : all) {
                    if (inner.startsWith(prefix) && inner.endsWith(".py")) {
                        return Optional.of(path + "/");
                    }
                }
            }
        }
        return Optional.empty();
    }
}
