package com.plantbridge.tags;

import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;

import com.plantbridge.settings.TagSettings;

/** Receives every value the server reports for a subscribed tag, in the order the server sent them. */
@FunctionalInterface
public interface TagValueListener {
    void onValue(TagSettings tag, DataValue value);

    /**
     * The first value after a subscription is created: the tag's current value, which may have
     * changed long before (and been sent by the other node of the pair).
     */
    default void onInitialValue(TagSettings tag, DataValue value) {
        onValue(tag, value);
    }

    /** The values of one server notification follow, until {@link #onBatchEnd()}; on the same thread. */
    default void onBatchStart() {
    }

    default void onBatchEnd() {
    }
}
