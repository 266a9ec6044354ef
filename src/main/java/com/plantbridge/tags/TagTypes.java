package com.plantbridge.tags;

import java.util.Map;

import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/**
 * Which tags found in a folder can be meter readings, by their DataType and ValueRank attributes:
 * scalar Boolean and numbers only. Everything else is skipped with a short reason, counted per
 * reason: an array (any ValueRank but scalar), a String, a DateTime, a structure (a UDT or
 * another server-defined type), or another built-in type by name.
 */
final class TagTypes {

    /** OPC UA ValueRank of a scalar. */
    static final int SCALAR = -1;
    static final String ARRAY = "array";
    static final String STRUCTURE = "structure";

    /** Built-in types of namespace 0 (OPC UA Part 6): the simple ones a meter reading can hold. */
    private static final Map<Integer, String> SIMPLE = Map.ofEntries(
            Map.entry(1, "Boolean"), Map.entry(2, "SByte"), Map.entry(3, "Byte"), Map.entry(4, "Int16"), Map.entry(5, "UInt16"),
            Map.entry(6, "Int32"), Map.entry(7, "UInt32"), Map.entry(8, "Int64"), Map.entry(9, "UInt64"), Map.entry(10, "Float"),
            Map.entry(11, "Double"), Map.entry(26, "Number"), Map.entry(27, "Integer"), Map.entry(28, "UInteger"));
    private static final Map<Integer, String> OTHER = Map.ofEntries(
            Map.entry(12, "String"), Map.entry(13, "DateTime"), Map.entry(14, "Guid"), Map.entry(15, "ByteString"),
            Map.entry(16, "XmlElement"), Map.entry(17, "NodeId"), Map.entry(18, "ExpandedNodeId"), Map.entry(19, "StatusCode"),
            Map.entry(20, "QualifiedName"), Map.entry(21, "LocalizedText"), Map.entry(22, STRUCTURE), Map.entry(24, "BaseDataType"),
            Map.entry(29, "Enumeration"));

    private TagTypes() {
    }

    /** Null for a simple numeric or boolean tag; otherwise why it is skipped. */
    static String skipReason(NodeId dataType, Integer valueRank) {
        if (valueRank == null || valueRank != SCALAR) {
            return ARRAY;
        }
        if (dataType == null || dataType.isNull()) {
            return "no data type";
        }
        if (dataType.getNamespaceIndex().intValue() != 0 || !(dataType.getIdentifier() instanceof Number)) {
            return STRUCTURE;   // a type the server defines: a UDT's structure, or an enumeration of its own
        }
        int id = ((Number) dataType.getIdentifier()).intValue();
        if (SIMPLE.containsKey(id)) {
            return null;
        }
        return OTHER.getOrDefault(id, "type i=" + id);
    }
}
