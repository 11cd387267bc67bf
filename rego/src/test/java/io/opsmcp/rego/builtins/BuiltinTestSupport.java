package io.opsmcp.rego.builtins;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsmcp.rego.value.Value;
import io.opsmcp.rego.value.Values;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;

/** Calls built-ins from the standard registry with JSON-literal arguments. */
final class BuiltinTestSupport {
    private BuiltinTestSupport() {}

    static final BuiltinRegistry REGISTRY = BuiltinRegistry.standard();

    /** A fresh per-query context with a fixed clock. */
    static final class Ctx implements BuiltinContext {
        final long now;
        final Map<Object, Object> cache = new HashMap<>();
        final List<String> printed = new ArrayList<>();

        Ctx(long now) {
            this.now = now;
        }

        @Override
        public long nowNs() {
            return now;
        }

        @Override
        public Map<Object, Object> queryCache() {
            return cache;
        }

        @Override
        public void print(String line) {
            printed.add(line);
        }

        @Override
        public boolean strictBuiltinErrors() {
            return true;
        }

        @Override
        public ZoneId localZone() {
            return ZoneOffset.UTC;
        }
    }

    static Value json(String text) {
        return Values.parseJson(text);
    }

    static List<Value> args(String... jsonArgs) {
        List<Value> out = new ArrayList<>();
        for (String a : jsonArgs) {
            out.add(json(a));
        }
        return out;
    }

    static Value call(String name, Value... args) {
        return call(new Ctx(0), name, List.of(args));
    }

    static Value call(BuiltinContext ctx, String name, List<Value> args) {
        Builtin b = REGISTRY.lookup(name).orElseThrow(() -> new AssertionError("no built-in " + name));
        if (b.impl() instanceof BuiltinFunction.Simple s) {
            return s.call(args, ctx);
        }
        List<Value> out = new ArrayList<>();
        ((BuiltinFunction.Relation) b.impl()).call(args, ctx, out::add);
        return io.opsmcp.rego.value.ArrayValue.of(out);
    }

    /** Calls with JSON-literal arguments. */
    static Value callJson(String name, String... jsonArgs) {
        return call(new Ctx(0), name, args(jsonArgs));
    }

    static AbstractThrowableAssert<?, ? extends Throwable> assertError(String name, Value... args) {
        return assertThatThrownBy(() -> call(name, args));
    }

    static AbstractThrowableAssert<?, ? extends Throwable> assertJsonError(String name, String... jsonArgs) {
        return assertThatThrownBy(() -> callJson(name, jsonArgs));
    }
}
