package io.opsmcp.toolkit;

import io.opsmcp.core.tool.ActionDescriptor;
import io.opsmcp.core.tool.ChangePreview;
import java.util.Objects;

/**
 * What a {@link MutatingTool} would do: the descriptor the guard decides on (resource and change preview) and the
 * tool's own data carried from planning to applying.
 *
 * @param descriptor the resource and the change; its {@link ActionDescriptor#change()} must not be {@code null}
 * @param data       whatever {@code apply} needs (the request to send, the state read while planning)
 * @param <P>        the type of {@code data}
 */
public record PlannedChange<P>(ActionDescriptor descriptor, P data) {

    public PlannedChange {
        Objects.requireNonNull(descriptor, "descriptor");
        if (descriptor.change() == null) {
            throw new IllegalArgumentException("a planned change needs a change preview (descriptor.change)");
        }
    }

    /** The change preview the policy and the approver see. */
    public ChangePreview change() {
        return descriptor.change();
    }
}
