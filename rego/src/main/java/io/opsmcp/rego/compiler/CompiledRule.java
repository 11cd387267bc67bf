package io.opsmcp.rego.compiler;

import io.opsmcp.rego.ast.Body;
import io.opsmcp.rego.ast.Location;
import io.opsmcp.rego.ast.Term;
import io.opsmcp.rego.value.Value;
import java.util.List;

/**
 * A rule ready for evaluation: vars resolved to frame slots, body reordered for safety.
 * {@code keys} are the head ref elements after the rule's tree node (empty for complete rules);
 * {@code key} is the member term of a {@code contains} rule; {@code value} the head value;
 * {@code args} the parameter patterns of a function.
 */
public record CompiledRule(
        Kind kind,
        List<Value> path,
        List<Term> keys,
        List<Term> args,
        Term key,
        Term value,
        Body body,
        int slots,
        CompiledRule elseRule,
        Location loc) {

    /** The rule kinds of OPA: complete (incl. ground ref heads), multi-value set, object, function. */
    public enum Kind {
        COMPLETE,
        SET,
        OBJECT,
        FUNCTION
    }

    /** Dotted path as OPA prints it in messages, e.g. {@code data.x.p}. */
    public String pathString() {
        return RuleNode.pathString(path);
    }
}
