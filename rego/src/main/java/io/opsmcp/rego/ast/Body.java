package io.opsmcp.rego.ast;

import java.util.List;

/** A conjunction of expressions (a rule body or a query). */
public record Body(Location loc, List<Expr> exprs) {}
