package io.opsmcp.rego.compiler;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A lexical scope of local variables (rule body, comprehension, every body). Slots are numbered
 * per rule so that one frame holds every variable of the rule and its nested scopes.
 */
final class Scope {
    final Scope parent;
    final Map<String, Integer> vars = new HashMap<>();
    final Set<String> declared = new HashSet<>();
    final Set<Integer> owned = new HashSet<>();
    private final int[] counter;

    Scope(Scope parent, int[] counter) {
        this.parent = parent;
        this.counter = counter;
    }

    Scope child() {
        return new Scope(this, counter);
    }

    /** Looks a name up through enclosing scopes; -1 when unknown. */
    int lookup(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Integer slot = s.vars.get(name);
            if (slot != null) {
                return slot;
            }
        }
        return -1;
    }

    int allocate(String name) {
        int slot = counter[0]++;
        vars.put(name, slot);
        owned.add(slot);
        return slot;
    }

    int fresh() {
        int slot = counter[0]++;
        owned.add(slot);
        return slot;
    }

    /** True when the slot belongs to this scope or one nested in it is not known here: own only. */
    boolean owns(int slot) {
        return owned.contains(slot);
    }

    int slotCount() {
        return counter[0];
    }
}
