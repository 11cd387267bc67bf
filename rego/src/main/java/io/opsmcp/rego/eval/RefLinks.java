package io.opsmcp.rego.eval;

import io.opsmcp.rego.ast.Term;
import io.opsmcp.rego.compiler.RuleNode;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.util.List;

/**
 * Where the constant prefix of each {@code data} ref leads in one compiled rule tree over one base data document:
 * the rule-tree node and base value reached and how many path elements that took. The evaluator resumes its walk
 * there instead of looking up every element again on every evaluation; it uses a link only in the scope without
 * {@code with data…} overrides, which change what a path leads to. Held by one compiled policy (its tree and data
 * never change: new data is a new policy). Thread-safe: a link is
 * remembered at its ref as one immutable pair ({@link Term.Site}); racing evaluations may each resolve it.
 */
public final class RefLinks {
    /** A walk's state after {@code index} constant elements; node and base both null when the path is undefined. */
    record Link(RuleNode node, Value base, int index) {}

    private final RuleNode root;
    private final Value data;

    /** Links for refs into the tree {@code root} over the base data {@code data}. */
    public RefLinks(RuleNode root, Value data) {
        this.root = root;
        this.data = data;
    }

    /**
     * The link of a {@code data} ref, remembered at the ref ({@link Term.Site}, keyed by this table's identity:
     * compiled terms are immutable and belong to their policy), so no table is looked up per evaluation.
     */
    Link get(Term.Ref ref) {
        Object l = ref.site().get(this);
        if (l != null) {
            return (Link) l;
        }
        Link link = resolve(ref.path());
        ref.site().set(this, link);
        return link;
    }

    /** The evaluator's walk (Evaluator.directData/descend) over the leading scalar elements, without overrides. */
    private Link resolve(List<Term> path) {
        RuleNode node = root;
        Value base = data;
        int i = 0;
        while (node != null && !node.hasRules() && i < path.size() && path.get(i) instanceof Term.Scalar s) {
            Value key = s.value();
            RuleNode child = node.child(key);
            Value childBase = base instanceof ObjectValue o ? o.get(key) : null;
            if (childBase == null && key instanceof NumberValue && base instanceof ObjectValue o) {
                childBase = o.get(StringValue.of(key.toString()));
            }
            if (child == null && childBase == null) {
                return new Link(null, null, path.size());
            }
            node = child;
            base = childBase;
            i++;
        }
        return new Link(node, base, i);
    }
}
