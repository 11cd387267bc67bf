package io.opsmcp.core.resource;

import io.opsmcp.core.tool.ActionDescriptor;

/** Whether the caller may see one thing a resource would show: asks the policy (a read of {@code revealed}). */
@FunctionalInterface
public interface Visibility {

    boolean mayRead(ActionDescriptor revealed);
}
