package com.plantbridge.tags;

import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;

import com.plantbridge.settings.TagSettings;

/** Receives every value the server reports for a subscribed tag, in the order the server sent them. */
@FunctionalInterface
public interface TagValueListener {
    void onValue(TagSettings tag, DataValue value);
}
