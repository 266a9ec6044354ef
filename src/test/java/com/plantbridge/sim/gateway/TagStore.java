package com.plantbridge.sim.gateway;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;

/**
 * The authoritative tag values. It lives outside the OPC UA server so that a server restart comes back
 * with the same tags and the values written while it was down, like a gateway restarting its OPC UA module.
 */
final class TagStore {

  private final Map<String, TagEntry> tags = new LinkedHashMap<>();
  private final Set<String> udtInstances = new LinkedHashSet<>();

  synchronized boolean contains(String path) {
    return tags.containsKey(path);
  }

  synchronized TagEntry add(String path, Object initialValue) {
    return add(path, initialValue, null);
  }

  synchronized TagEntry add(String path, Object initialValue, String unit) {
    if (tags.containsKey(path) || udtInstances.contains(path)) {
      throw new IllegalArgumentException("tag already exists: " + path);
    }
    TagType type = TagType.of(initialValue);
    DateTime now = DateTime.now();
    var entry = new TagEntry(path, type, new DataValue(type.toVariant(initialValue), StatusCode.GOOD, now, now), unit);
    tags.put(path, entry);
    return entry;
  }

  synchronized TagEntry remove(String path) {
    TagEntry removed = tags.remove(path);
    if (removed == null) {
      throw new IllegalArgumentException("unknown tag: " + path);
    }
    return removed;
  }

  /** A UDT instance: an object whose members are tags under its path. */
  synchronized void addUdtInstance(String path) {
    if (tags.containsKey(path) || !udtInstances.add(path)) {
      throw new IllegalArgumentException("tag already exists: " + path);
    }
  }

  synchronized List<String> udtInstances() {
    return new ArrayList<>(udtInstances);
  }

  synchronized TagEntry write(String path, Object value, long statusCode, Instant sourceTime) {
    TagEntry current = get(path).orElseThrow(() -> new IllegalArgumentException("unknown tag: " + path));
    var dataValue = new DataValue(
        current.type().toVariant(value), new StatusCode(statusCode), new DateTime(sourceTime), DateTime.now());
    var entry = new TagEntry(path, current.type(), dataValue, current.unit());
    tags.put(path, entry);
    return entry;
  }

  synchronized Optional<TagEntry> get(String path) {
    return Optional.ofNullable(tags.get(path));
  }

  synchronized List<TagEntry> snapshot() {
    return new ArrayList<>(tags.values());
  }
}
