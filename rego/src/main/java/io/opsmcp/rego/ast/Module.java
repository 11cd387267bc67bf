package io.opsmcp.rego.ast;

import io.opsmcp.rego.value.ObjectValue;
import java.util.List;

/**
 * A parsed Rego file: package path (without "data"), imports, rules and the {@code # METADATA}
 * annotation blocks (each with the row of the statement it precedes).
 */
public record Module(
        String file,
        Location loc,
        List<String> pkg,
        List<Import> imports,
        List<Rule> rules,
        List<Annotation> annotations) {

    /** A module without annotations. */
    public Module(String file, Location loc, List<String> pkg, List<Import> imports, List<Rule> rules) {
        this(file, loc, pkg, imports, rules, List.of());
    }

    /** {@code import path [as alias]}; path is a ref rooted at data or input (or future/rego). */
    public record Import(Location loc, Term.Ref path, String alias) {}

    /**
     * One {@code # METADATA} comment block: its YAML as an object in OPA's annotation shape (authors
     * as {@code {name, email}}, related resources as {@code {ref, description}}, an explicit
     * {@code scope} when written) and the row of the package or rule right after it.
     */
    public record Annotation(int row, ObjectValue fields) {}
}
