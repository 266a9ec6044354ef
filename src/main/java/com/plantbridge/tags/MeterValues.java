package com.plantbridge.tags;

import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UNumber;

/** Which OPC UA values can be a meter reading, and as what number. */
final class MeterValues {

    enum Kind { NUMBER, NOT_A_METER_VALUE, REFUSED }

    private MeterValues() {
    }

    static Kind kind(Object value) {
        if (value instanceof Number || value instanceof Boolean) {
            return Kind.NUMBER;
        }
        if (value == null) {
            return Kind.NOT_A_METER_VALUE;
        }
        if (value.getClass().isArray() || value instanceof org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject
                || value instanceof org.eclipse.milo.opcua.stack.core.types.builtin.Matrix) {
            return Kind.REFUSED;
        }
        return Kind.NOT_A_METER_VALUE;
    }

    /** Integers stay integers on the wire; floats stay floats; booleans become 1/0. NaN and infinities are not readings. */
    static Number toNumber(Object value) {
        if (value instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (value instanceof UNumber u) {
            return u.longValue();
        }
        if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        double d = ((Number) value).doubleValue();
        return Double.isFinite(d) ? d : null;
    }
}
