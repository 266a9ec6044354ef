package com.plantbridge.sim.gateway;

import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;

/**
 * A tag's fixed type and its current value, as the OPC UA server exposes it.
 *
 * @param unit the tag's engineering units (its EngineeringUnits property), or null for none
 */
record TagEntry(String path, TagType type, DataValue value, String unit) {}
