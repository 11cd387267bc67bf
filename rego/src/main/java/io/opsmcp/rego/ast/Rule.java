package io.opsmcp.rego.ast;

import java.util.List;

/**
 * A rule as parsed. {@code ref} is the head reference (e.g. {@code p}, {@code a.b[k]});
 * {@code args} is non-null for functions; {@code key} is set for {@code contains} rules;
 * {@code value} is the head value (null means {@code true}); {@code elseRule} chains else branches.
 */
public record Rule(
        Location loc,
        boolean isDefault,
        Term.Ref ref,
        List<Term> args,
        Term key,
        Term value,
        boolean assign,
        Body body,
        Rule elseRule) {}
