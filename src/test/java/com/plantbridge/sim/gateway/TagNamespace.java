package com.plantbridge.sim.gateway;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaObjectNode;
import org.eclipse.milo.opcua.sdk.server.model.variables.BaseAnalogType;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.structured.EUInformation;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * Ignition's tag namespace: String NodeIds equal to the tag path, browsable as provider/folder trees under
 * the Objects folder ({@code [default]} → {@code [default]Line1} → {@code [default]Line1/Speed}).
 *
 * <p>Items with a sampling interval above 0 are left to the SDK's {@link SubscriptionModel}, which samples
 * at the revised interval; items asking for 0 are pushed on every write (see {@link ReportByExceptionItems}).
 * Queue size and DataChangeFilter are applied by the SDK's MonitoredDataItem in both cases.
 */
final class TagNamespace extends ManagedNamespaceWithLifecycle {

  static final String URI = "urn:inductiveautomation:ignition:opcua:tags";

  private final SubscriptionModel sampledItems;
  private final ReportByExceptionItems exceptionItems = new ReportByExceptionItems();
  // Orders pushes to exception items against node updates, so a new item never gets an older value last.
  private final Object deliveryLock = new Object();
  private final Map<String, UaFolderNode> folders = new HashMap<>();
  private final Map<String, UaObjectNode> udtInstances = new HashMap<>();

  TagNamespace(OpcUaServer server, List<String> initialUdtInstances, List<TagEntry> initialTags) {
    super(server, URI);
    sampledItems = new SubscriptionModel(server, this);
    getLifecycleManager().addLifecycle(sampledItems);
    getLifecycleManager().addStartupTask(() -> {
      initialUdtInstances.forEach(this::addUdtInstance);
      initialTags.forEach(this::addTag);
    });
  }

  /**
   * Ignition shows a UDT instance as an object, not a folder: its members hang under it by
   * HasComponent, and its type definition is not FolderType.
   */
  synchronized void addUdtInstance(String pathText) {
    TagPath path = TagPath.parse(pathText);
    UaObjectNode node = new UaObjectNode(getNodeContext(), newNodeId(pathText), newQualifiedName(path.name()),
        LocalizedText.english(path.name()), LocalizedText.NULL_VALUE, uint(0), uint(0), UByte.valueOf(0));
    node.addReference(new Reference(node.getNodeId(), NodeIds.HasTypeDefinition, NodeIds.BaseObjectType.expanded(), true));
    getNodeManager().addNode(node);
    folderFor(path).addOrganizes(node);
    udtInstances.put(pathText, node);
  }

  synchronized void removeTag(String pathText) {
    if (!(getNodeManager().get(newNodeId(pathText)) instanceof UaVariableNode node)) {
      return;
    }
    UaObjectNode udt = udtInstances.get(parentOf(pathText));
    if (udt != null) {
      udt.removeComponent(node);
    } else {
      folderFor(TagPath.parse(pathText)).removeOrganizes(node);
    }
    node.delete();
  }

  private static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  synchronized void addTag(TagEntry entry) {
    TagPath path = TagPath.parse(entry.path());
    UaVariableNode node = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
        .setNodeId(newNodeId(entry.path()))
        .setBrowseName(newQualifiedName(path.name()))
        .setDisplayName(LocalizedText.english(path.name()))
        .setDataType(entry.type().dataType())
        .setValueRank(entry.type().valueRank())
        .setArrayDimensions(entry.type().isArray() ? new UInteger[] {uint(0)} : null)
        .setTypeDefinition(NodeIds.BaseDataVariableType)
        .setAccessLevel(AccessLevel.READ_ONLY)
        .setUserAccessLevel(AccessLevel.READ_ONLY)
        // 0 tells clients (and the SDK's revision logic) that this node can report by exception.
        .setMinimumSamplingInterval(0.0)
        .setValue(entry.value())
        .build();
    getNodeManager().addNode(node);
    if (entry.unit() != null) {
      node.setProperty(BaseAnalogType.ENGINEERING_UNITS, new EUInformation(UNECE_UNITS, -1,
          LocalizedText.english(entry.unit()), LocalizedText.english(entry.unit())));
    }
    UaObjectNode udt = udtInstances.get(parentOf(entry.path()));
    if (udt != null) {
      udt.addComponent(node);
    } else {
      folderFor(path).addOrganizes(node);
    }
  }

  /** Namespace of the UNECE unit codes that OPC UA's EUInformation refers to. */
  private static final String UNECE_UNITS = "http://www.opcfoundation.org/UA/units/un/cefact";

  void publish(TagEntry entry) {
    UaNode node = getNodeManager().get(newNodeId(entry.path()));
    if (!(node instanceof UaVariableNode variable)) {
      return;
    }
    synchronized (deliveryLock) {
      variable.setValue(entry.value());
      exceptionItems.on(variable.getNodeId()).forEach(this::deliverCurrentValue);
    }
  }

  @Override
  public void onDataItemsCreated(List<DataItem> items) {
    List<DataItem> sampled = new ArrayList<>();
    synchronized (deliveryLock) {
      for (DataItem item : items) {
        if (ReportByExceptionItems.wantsEveryChange(item)) {
          exceptionItems.add(item);
          deliverCurrentValue(item);
        } else {
          sampled.add(item);
        }
      }
    }
    if (!sampled.isEmpty()) {
      sampledItems.onDataItemsCreated(sampled);
    }
  }

  @Override
  public void onDataItemsModified(List<DataItem> items) {
    // A modify can move an item between "every change" and sampled, so re-home each one.
    List<DataItem> nowSampled = new ArrayList<>();
    List<DataItem> stillSampled = new ArrayList<>();
    List<DataItem> noLongerSampled = new ArrayList<>();
    synchronized (deliveryLock) {
      for (DataItem item : items) {
        boolean wasException = exceptionItems.contains(item);
        boolean isException = ReportByExceptionItems.wantsEveryChange(item);
        if (wasException && !isException) {
          exceptionItems.remove(item);
          nowSampled.add(item);
        } else if (!wasException && isException) {
          noLongerSampled.add(item);
          exceptionItems.add(item);
          deliverCurrentValue(item);
        } else if (!isException) {
          stillSampled.add(item);
        }
      }
    }
    if (!noLongerSampled.isEmpty()) sampledItems.onDataItemsDeleted(noLongerSampled);
    if (!nowSampled.isEmpty()) sampledItems.onDataItemsCreated(nowSampled);
    if (!stillSampled.isEmpty()) sampledItems.onDataItemsModified(stillSampled);
  }

  @Override
  public void onDataItemsDeleted(List<DataItem> items) {
    synchronized (deliveryLock) {
      items.forEach(exceptionItems::remove);
    }
    sampledItems.onDataItemsDeleted(items);
  }

  @Override
  public void onMonitoringModeChanged(List<MonitoredItem> items) {
    sampledItems.onMonitoringModeChanged(items);
    // Disabling clears the item's last value, so re-enabling must send the current one like sampling would.
    synchronized (deliveryLock) {
      for (MonitoredItem item : items) {
        if (item instanceof DataItem dataItem && exceptionItems.contains(dataItem)) {
          deliverCurrentValue(dataItem);
        }
      }
    }
  }

  /** Same read-and-derive steps as the SDK's SubscriptionModel, so both paths look identical to clients. */
  private void deliverCurrentValue(DataItem item) {
    if (!item.isSamplingEnabled()) {
      return;
    }
    var context = new ReadContext(getServer(), item.getSession());
    DataValue value = read(context, 0.0, TimestampsToReturn.Both, List.of(item.getReadValueId())).get(0);
    TimestampsToReturn timestamps = item.getTimestampsToReturn();
    if (timestamps != null) {
      value = AttributeId.Value.isEqual(item.getReadValueId().getAttributeId())
          ? DataValue.derivedValue(value, timestamps)
          : DataValue.derivedNonValue(value, timestamps);
    }
    item.setValue(value);
  }

  private UaFolderNode folderFor(TagPath path) {
    UaFolderNode parent = null;
    for (TagPath.Folder folder : path.folders()) {
      UaFolderNode node = folders.get(folder.id());
      if (node == null) {
        node = new UaFolderNode(
            getNodeContext(), newNodeId(folder.id()), newQualifiedName(folder.name()),
            LocalizedText.english(folder.name()));
        getNodeManager().addNode(node);
        if (parent == null) {
          node.addReference(new Reference(
              node.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(), false));
        } else {
          parent.addOrganizes(node);
        }
        folders.put(folder.id(), node);
      }
      parent = node;
    }
    return parent;
  }
}
