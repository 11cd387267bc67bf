package io.opsmcp.rego.compiler;

import io.opsmcp.rego.value.StringValue;
import io.opsmcp.rego.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node of the rule tree (OPA's {@code ast.TreeNode}): the rules defined at this data path and
 * the child nodes by key. Built once by the compiler and never modified afterwards.
 */
public final class RuleNode {
    private final List<Value> path;
    private final Map<Value, RuleNode> children = new LinkedHashMap<>();
    private final List<CompiledRule> rules = new ArrayList<>();
    private CompiledRule defaultRule;
    private boolean function;
    /** Index of this node in its compiled tree (pre-order from the root), or -1 for a node outside one. */
    private int id = -1;

    RuleNode(List<Value> path) {
        this.path = path;
    }

    public List<Value> path() {
        return path;
    }

    /**
     * This node's index in the compiled tree, {@code 0 <= id < }{@link Compiler.Compiled#nodes()}, or -1 when the
     * node was not numbered (the evaluator then keys its per-node state by the node itself).
     */
    public int id() {
        return id;
    }

    /** Numbers this subtree in pre-order from {@code next}; returns the next free index. */
    int number(int next) {
        id = next++;
        for (RuleNode c : children.values()) {
            next = c.number(next);
        }
        return next;
    }

    public Map<Value, RuleNode> children() {
        return children;
    }

    public RuleNode child(Value key) {
        return children.get(key);
    }

    public List<CompiledRule> rules() {
        return rules;
    }

    public CompiledRule defaultRule() {
        return defaultRule;
    }

    public boolean hasRules() {
        return !rules.isEmpty() || defaultRule != null;
    }

    /** True when the rules at this node are functions (known before the rules are compiled). */
    public boolean isFunction() {
        return function;
    }

    void markFunction() {
        function = true;
    }

    RuleNode childOrCreate(Value key) {
        Value k0 = key instanceof StringValue s ? s.intern() : key;
        return children.computeIfAbsent(k0, k -> {
            List<Value> p = new ArrayList<>(path);
            p.add(k);
            return new RuleNode(List.copyOf(p));
        });
    }

    void setDefault(CompiledRule r) {
        defaultRule = r;
    }

    /** {@code data.a.b["x y"]} style rendering of the node path. */
    public String pathString() {
        return pathString(path);
    }

    static String pathString(List<Value> path) {
        StringBuilder sb = new StringBuilder("data");
        for (Value o : path) {
            if (o instanceof StringValue s && s.value().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                sb.append('.').append(s.value());
            } else {
                sb.append('[').append(o).append(']');
            }
        }
        return sb.toString();
    }
}
