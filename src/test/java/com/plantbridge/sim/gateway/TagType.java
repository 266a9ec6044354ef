package com.plantbridge.sim.gateway;

import java.time.Instant;
import java.util.function.Function;
import org.eclipse.milo.opcua.sdk.core.ValueRanks;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * The tag data types the simulator supports and how Java values map onto OPC UA variants.
 *
 * <p>A tag keeps the type of its initial value, like an Ignition tag keeps its configured data type;
 * numeric writes are coerced to it so a test can write {@code 1} to a Double tag.
 */
enum TagType {
  INT16(NodeIds.Int16, ValueRanks.Scalar, v -> Variant.ofInt16(number(v).shortValue())),
  INT32(NodeIds.Int32, ValueRanks.Scalar, v -> Variant.ofInt32(number(v).intValue())),
  INT64(NodeIds.Int64, ValueRanks.Scalar, v -> Variant.ofInt64(number(v).longValue())),
  FLOAT(NodeIds.Float, ValueRanks.Scalar, v -> Variant.ofFloat(number(v).floatValue())),
  DOUBLE(NodeIds.Double, ValueRanks.Scalar, v -> Variant.ofDouble(number(v).doubleValue())),
  BOOLEAN(NodeIds.Boolean, ValueRanks.Scalar, v -> Variant.ofBoolean(cast(v, Boolean.class))),
  STRING(NodeIds.String, ValueRanks.Scalar, v -> Variant.ofString(cast(v, String.class))),
  DATETIME(NodeIds.DateTime, ValueRanks.Scalar, v -> Variant.ofDateTime(new DateTime(cast(v, Instant.class)))),
  INT32_ARRAY(NodeIds.Int32, ValueRanks.OneDimension, v -> Variant.ofInt32Array(cast(v, int[].class).clone())),
  DOUBLE_ARRAY(NodeIds.Double, ValueRanks.OneDimension, v -> Variant.ofDoubleArray(cast(v, double[].class).clone()));

  private final NodeId dataType;
  private final int valueRank;
  private final Function<Object, Variant> encoder;

  TagType(NodeId dataType, int valueRank, Function<Object, Variant> encoder) {
    this.dataType = dataType;
    this.valueRank = valueRank;
    this.encoder = encoder;
  }

  NodeId dataType() {
    return dataType;
  }

  int valueRank() {
    return valueRank;
  }

  boolean isArray() {
    return valueRank == ValueRanks.OneDimension;
  }

  /** Null is allowed: a Bad-quality write often carries no value. */
  Variant toVariant(Object value) {
    return value == null ? Variant.NULL_VALUE : encoder.apply(value);
  }

  static TagType of(Object value) {
    if (value instanceof Short) return INT16;
    if (value instanceof Integer) return INT32;
    if (value instanceof Long) return INT64;
    if (value instanceof Float) return FLOAT;
    if (value instanceof Double) return DOUBLE;
    if (value instanceof Boolean) return BOOLEAN;
    if (value instanceof String) return STRING;
    if (value instanceof Instant) return DATETIME;
    if (value instanceof int[]) return INT32_ARRAY;
    if (value instanceof double[]) return DOUBLE_ARRAY;
    throw new IllegalArgumentException(
        "unsupported tag value type: " + (value == null ? "null" : value.getClass().getName()));
  }

  /** Back to the Java side; DateTime becomes Instant and arrays are copied so callers cannot alias server state. */
  static Object toJava(Variant variant) {
    Object value = variant.getValue();
    if (value instanceof DateTime dateTime) return dateTime.getJavaInstant();
    if (value instanceof int[] ints) return ints.clone();
    if (value instanceof double[] doubles) return doubles.clone();
    return value;
  }

  private static Number number(Object value) {
    return cast(value, Number.class);
  }

  private static <T> T cast(Object value, Class<T> type) {
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException(
          "expected " + type.getSimpleName() + " but got " + value.getClass().getSimpleName());
    }
    return type.cast(value);
  }
}
