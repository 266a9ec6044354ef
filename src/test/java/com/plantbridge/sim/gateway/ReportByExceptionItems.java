package com.plantbridge.sim.gateway;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/**
 * Data items that asked for sampling interval 0. OPC UA defines 0 as "report every change"; the SDK's
 * {@link org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel} would instead busy-poll them, burning
 * a core and still missing changes between polls, so these are pushed on write instead.
 */
final class ReportByExceptionItems {

  private final Map<NodeId, Set<DataItem>> byNode = new ConcurrentHashMap<>();

  static boolean wantsEveryChange(DataItem item) {
    return item.getSamplingInterval() == 0.0;
  }

  void add(DataItem item) {
    byNode.computeIfAbsent(nodeOf(item), n -> ConcurrentHashMap.newKeySet()).add(item);
  }

  boolean remove(DataItem item) {
    Set<DataItem> items = byNode.get(nodeOf(item));
    return items != null && items.remove(item);
  }

  boolean contains(DataItem item) {
    Set<DataItem> items = byNode.get(nodeOf(item));
    return items != null && items.contains(item);
  }

  List<DataItem> on(NodeId nodeId) {
    Set<DataItem> items = byNode.get(nodeId);
    return items == null ? List.of() : List.copyOf(items);
  }

  private static NodeId nodeOf(DataItem item) {
    return item.getReadValueId().getNodeId();
  }
}
