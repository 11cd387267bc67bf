package io.opsmcp.rego.builtins;

import static io.opsmcp.rego.builtins.Type.ANY;
import static io.opsmcp.rego.builtins.Type.ANY_ARRAY;
import static io.opsmcp.rego.builtins.Type.ANY_SET;
import static io.opsmcp.rego.builtins.Type.args;

import io.opsmcp.rego.value.ArrayValue;
import io.opsmcp.rego.value.ObjectValue;
import io.opsmcp.rego.value.SetValue;
import io.opsmcp.rego.value.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * graph.reachable and graph.reachable_paths over a graph given as an object from vertex to a set or array of
 * neighbours, with OPA's semantics ({@code v1/topdown/reachable.go}): a vertex that is not a key of the graph is
 * never reached; a neighbour value that is neither set nor array counts as no neighbours.
 *
 * <p>Both walk iteratively, so deep graphs cannot overflow the stack. reachable is O(V + E). The number of simple
 * paths can grow exponentially with the graph, so reachable_paths stops with a built-in error once it has done
 * {@value #MAX_PATH_STEPS} steps (vertices visited plus path elements produced).
 */
final class GraphBuiltins {
    static final int MAX_PATH_STEPS = 1_000_000;

    private GraphBuiltins() {}

    static List<Builtin> all() {
        Type vertices = Type.anyOf(ANY_SET, ANY_ARRAY);
        Type graph = Type.object(ANY, vertices);
        return List.of(
                Builtin.simple("graph.reachable", args(graph, vertices), ANY_SET, GraphBuiltins::reachable),
                Builtin.simple(
                        "graph.reachable_paths", args(graph, vertices), Type.set(ANY_ARRAY), GraphBuiltins::paths));
    }

    private static Value reachable(List<Value> a, BuiltinContext c) {
        ObjectValue graph = Operands.object(a, 0);
        ArrayDeque<Value> queue = new ArrayDeque<>(initial(a));
        Set<Value> reached = new HashSet<>();
        while (!queue.isEmpty()) {
            Value node = queue.poll();
            Value edges = graph.get(node);
            if (edges == null || !reached.add(node)) {
                continue;
            }
            for (Value neighbour : neighbours(edges)) {
                if (!reached.contains(neighbour)) {
                    queue.add(neighbour);
                }
            }
        }
        return SetValue.of(reached);
    }

    private static Value paths(List<Value> a, BuiltinContext c) {
        ObjectValue graph = Operands.object(a, 0);
        PathWalk walk = new PathWalk(graph);
        for (Value node : initial(a)) {
            Value edges = graph.get(node);
            if (edges == null) {
                continue;
            }
            Collection<Value> next = neighbours(edges);
            if (next.isEmpty()) {
                walk.emit(List.of(node));
                continue;
            }
            for (Value neighbour : next) {
                walk.from(node, neighbour);
            }
        }
        return walk.result.build();
    }

    private static Collection<Value> initial(List<Value> a) {
        Collection<Value> initial = Operands.elementsOf(a.get(1));
        if (initial == null) {
            throw new BuiltinTypeError(
                    "operand 2 must be {array, set} but got " + a.get(1).typeName());
        }
        return initial;
    }

    private static Collection<Value> neighbours(Value edges) {
        Collection<Value> c = Operands.elementsOf(edges);
        return c == null ? List.of() : c;
    }

    /**
     * Depth-first enumeration of the paths OPA's recursive pathBuilder produces: a path ends where a vertex is not
     * in the graph (the path without it), has no neighbours (the path with it), or where a neighbour is already on
     * the path (the path up to the current vertex).
     */
    private static final class PathWalk {
        private final ObjectValue graph;
        private final SetValue.Builder result = SetValue.builder();
        private final List<Value> path = new ArrayList<>();
        private final Map<Value, Integer> onPath = new HashMap<>();
        private final ArrayDeque<Iterator<Value>> frames = new ArrayDeque<>();
        private long steps;

        PathWalk(ObjectValue graph) {
            this.graph = graph;
        }

        /** All paths that start at {@code root} and continue through {@code first}. */
        void from(Value root, Value first) {
            push(root);
            enter(first);
            while (!frames.isEmpty()) {
                Iterator<Value> it = frames.peek();
                if (!it.hasNext()) {
                    frames.pop();
                    pop();
                    continue;
                }
                Value neighbour = it.next();
                if (onPath.containsKey(neighbour)) {
                    emit(path);
                } else {
                    enter(neighbour);
                }
            }
            pop();
        }

        private void enter(Value node) {
            step(1);
            Value edges = graph.get(node);
            if (edges == null) {
                emit(path);
                return;
            }
            push(node);
            Collection<Value> next = neighbours(edges);
            if (next.isEmpty()) {
                emit(path);
                pop();
                return;
            }
            frames.push(next.iterator());
        }

        private void push(Value node) {
            path.add(node);
            onPath.merge(node, 1, Integer::sum);
        }

        private void pop() {
            Value node = path.remove(path.size() - 1);
            onPath.computeIfPresent(node, (k, n) -> n == 1 ? null : n - 1);
        }

        void emit(List<Value> p) {
            step(p.size());
            result.add(ArrayValue.of(new ArrayList<>(p)));
        }

        private void step(long n) {
            steps += n;
            if (steps > MAX_PATH_STEPS) {
                throw new BuiltinError("graph too large: more than " + MAX_PATH_STEPS + " path steps");
            }
        }
    }
}
