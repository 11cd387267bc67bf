package io.opsmcp.rego.eval;

import io.opsmcp.rego.ast.Term;
import io.opsmcp.rego.compiler.RuleNode;
import io.opsmcp.rego.value.NumberValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the constant prefix of each {@code data} ref leads in one compiled rule tree over one base data document:
 * the rule-tree node and base value reached and how many path elements that took. The evaluator resumes its walk
 * there instead of looking up every element again on every evaluation; it uses a link only in the scope without
 * {@code with data…} overrides, which change what a path leads to. Held by one compiled policy (its tree and data
 * never change: new data is a new policy). Thread-safe: the table is replaced, never changed, when a ref is added.
 */
public final class RefLinks {
    /** At most this many refs are linked (ad-hoc queries and document paths make new refs; the rest are walked). */
    private static final int MAX = 1024;

    /** A walk's state after {@code index} constant elements; node and base both null when the path is undefined. */
    record Link(RuleNode node, Value base, int index) {}

    private final RuleNode root;
    private final Value data;
    private volatile Map<Term.Ref, Link> links = new IdentityHashMap<>();

    /** Links for refs into the tree {@code root} over the base data {@code data}. */
    public RefLinks(RuleNode root, Value data) {
        this.root = root;
        this.data = data;
    }

    /** The link of a {@code data} ref (keyed by the ref's identity: compiled terms are immutable and shared). */
    Link get(Term.Ref ref) {
        Map<Term.Ref, Link> now = links;
        Link l = now.get(ref);
        if (l == null) {
            l = resolve(ref.path());
            if (now.size() < MAX) {
                Map<Term.Ref, Link> next = new IdentityHashMap<>(now);
                next.put(ref, l);
                links = next; // a racing insert may be lost: that ref is resolved again later
            }
        }
        return l;
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
