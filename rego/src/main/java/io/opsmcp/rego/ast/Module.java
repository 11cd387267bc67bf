package io.opsmcp.rego.ast;

import java.util.List;

/** A parsed Rego file: package path (without "data"), imports and rules. */
public record Module(String file, Location loc, List<String> pkg, List<Import> imports, List<Rule> rules) {

  /** {@code import path [as alias]}; path is a ref rooted at data or input (or future/rego). */
  public record Import(Location loc, Term.Ref path, String alias) {}
}
