package com.plantbridge.tags;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.EUInformation;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.ReferenceDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ViewDescription;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * Walks tag folders of the gateway's tag provider over OPC UA, as Ignition shows them: folders and
 * UDT instances are Objects whose children hang under them by Organizes or HasComponent; tags are
 * Variables whose NodeId is {@code ns=<tag namespace>;s=<tag path>}. Every level is browsed in
 * batches of nodes with the server's continuation points followed to the end (a folder of 6,000
 * tags does not come in one answer), then the found variables' DataType and ValueRank are read in
 * batches to tell simple tags from the rest, and, when asked, their EngineeringUnits property.
 * All calls are synchronous: run it off the gateway's own thread.
 */
final class FolderBrowser {

    /** References asked per node and answer; more come through continuation points. */
    static final int REFERENCES_PER_NODE = 1000;
    /** Nodes per Browse or Read request. */
    static final int NODES_PER_REQUEST = 500;
    private static final QualifiedName ENGINEERING_UNITS = new QualifiedName(0, "EngineeringUnits");

    /** A variable found under a folder; {@code skipReason} is null for a simple tag. */
    record Found(String path, String skipReason, String unit) {
    }

    /** What a browse of some folders found, and the folders the server refused (folder path to status). */
    record Result(List<Found> found, Map<String, String> refusedFolders) {
    }

    private final int referencesPerNode;

    FolderBrowser() {
        this(REFERENCES_PER_NODE);
    }

    FolderBrowser(int referencesPerNode) {
        this.referencesPerNode = referencesPerNode;
    }

    /** Every variable under the folders, at any depth, each once. */
    Result browse(OpcUaClient client, UShort namespace, Collection<String> folders, boolean readUnits) throws UaException {
        Map<String, NodeId> variables = new TreeMap<>();
        Map<String, String> refused = new TreeMap<>();
        Set<NodeId> seen = new HashSet<>();
        Deque<NodeId> objects = new ArrayDeque<>();
        Map<NodeId, String> roots = new HashMap<>();
        for (String folder : folders) {
            NodeId id = new NodeId(namespace, folder);
            if (seen.add(id)) {
                objects.add(id);
                roots.put(id, folder);
            }
        }
        while (!objects.isEmpty()) {
            List<NodeId> level = new ArrayList<>();
            while (!objects.isEmpty() && level.size() < NODES_PER_REQUEST) {
                level.add(objects.poll());
            }
            List<List<ReferenceDescription>> children = browseAll(client, level, NodeIds.HierarchicalReferences, refused, roots);
            for (List<ReferenceDescription> references : children) {
                for (ReferenceDescription reference : references) {
                    if (NodeIds.HasProperty.equals(reference.getReferenceTypeId())) {
                        continue;   // a folder's or object's own properties are not tags
                    }
                    NodeId child = reference.getNodeId().toNodeId(client.getNamespaceTable()).orElse(null);
                    if (child == null || !child.getNamespaceIndex().equals(namespace) || !(child.getIdentifier() instanceof String path)
                            || !seen.add(child)) {
                        continue;
                    }
                    if (reference.getNodeClass() == NodeClass.Object) {
                        objects.add(child);
                    } else if (reference.getNodeClass() == NodeClass.Variable) {
                        variables.put(path, child);
                    }
                }
            }
        }
        Map<String, String> reasons = skipReasons(client, variables);
        Map<String, String> units = readUnits
                ? units(client, variables.entrySet().stream().filter(e -> reasons.get(e.getKey()) == null).map(Map.Entry::getValue).toList())
                : Map.of();
        List<Found> found = new ArrayList<>(variables.size());
        variables.forEach((path, id) -> found.add(new Found(path, reasons.get(path), units.get(path))));
        return new Result(found, refused);
    }

    /** The EngineeringUnits display name of each variable that has one (tag path to unit). */
    Map<String, String> units(OpcUaClient client, List<NodeId> variables) throws UaException {
        Map<String, NodeId> properties = new LinkedHashMap<>();
        for (int from = 0; from < variables.size(); from += NODES_PER_REQUEST) {
            List<NodeId> part = variables.subList(from, Math.min(variables.size(), from + NODES_PER_REQUEST));
            List<List<ReferenceDescription>> children = browseAll(client, part, NodeIds.HasProperty, new HashMap<>(), Map.of());
            for (int i = 0; i < part.size(); i++) {
                String tagPath = (String) part.get(i).getIdentifier();
                for (ReferenceDescription property : children.get(i)) {
                    if (ENGINEERING_UNITS.getName().equals(property.getBrowseName().getName())) {
                        property.getNodeId().toNodeId(client.getNamespaceTable()).ifPresent(id -> properties.put(tagPath, id));
                    }
                }
            }
        }
        Map<String, String> units = new HashMap<>();
        List<Map.Entry<String, NodeId>> entries = new ArrayList<>(properties.entrySet());
        for (int from = 0; from < entries.size(); from += NODES_PER_REQUEST) {
            List<Map.Entry<String, NodeId>> part = entries.subList(from, Math.min(entries.size(), from + NODES_PER_REQUEST));
            List<ReadValueId> reads = part.stream().map(e -> new ReadValueId(e.getValue(), AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE)).toList();
            DataValue[] values = client.read(0, TimestampsToReturn.Neither, reads).getResults();
            for (int i = 0; i < part.size(); i++) {
                String unit = unitOf(client, values[i]);
                if (unit != null) {
                    units.put(part.get(i).getKey(), unit);
                }
            }
        }
        return units;
    }

    private static String unitOf(OpcUaClient client, DataValue value) {
        Object raw = value.getValue().getValue();
        try {
            Object decoded = raw instanceof ExtensionObject xo ? xo.decode(client.getStaticEncodingContext()) : raw;
            if (decoded instanceof EUInformation eu && eu.getDisplayName() != null && eu.getDisplayName().getText() != null
                    && !eu.getDisplayName().getText().isBlank()) {
                return eu.getDisplayName().getText().trim();
            }
        } catch (RuntimeException e) {
            // an EngineeringUnits value this client cannot decode: the default unit applies
        }
        return null;
    }

    /** DataType and ValueRank of each variable, read in batches; the skip reason per tag path (absent for simple tags). */
    private Map<String, String> skipReasons(OpcUaClient client, Map<String, NodeId> variables) throws UaException {
        Map<String, String> reasons = new HashMap<>();
        List<Map.Entry<String, NodeId>> entries = new ArrayList<>(variables.entrySet());
        for (int from = 0; from < entries.size(); from += NODES_PER_REQUEST / 2) {
            List<Map.Entry<String, NodeId>> part = entries.subList(from, Math.min(entries.size(), from + NODES_PER_REQUEST / 2));
            List<ReadValueId> reads = new ArrayList<>(part.size() * 2);
            for (Map.Entry<String, NodeId> e : part) {
                reads.add(new ReadValueId(e.getValue(), AttributeId.DataType.uid(), null, QualifiedName.NULL_VALUE));
                reads.add(new ReadValueId(e.getValue(), AttributeId.ValueRank.uid(), null, QualifiedName.NULL_VALUE));
            }
            DataValue[] values = client.read(0, TimestampsToReturn.Neither, reads).getResults();
            for (int i = 0; i < part.size(); i++) {
                Object type = values[2 * i].getValue().getValue();
                Object rank = values[2 * i + 1].getValue().getValue();
                String reason = TagTypes.skipReason(type instanceof NodeId id ? id : null, rank instanceof Number n ? n.intValue() : null);
                if (reason != null) {
                    reasons.put(part.get(i).getKey(), reason);
                }
            }
        }
        return reasons;
    }

    /**
     * The forward references of each node of a type (and its subtypes), following continuation
     * points until the server has given them all. A node the server refuses is recorded in
     * {@code refused} when it is one of {@code roots} (a configured folder), and has no children.
     */
    private List<List<ReferenceDescription>> browseAll(OpcUaClient client, List<NodeId> nodes, NodeId referenceType,
                                                       Map<String, String> refused, Map<NodeId, String> roots) throws UaException {
        List<BrowseDescription> descriptions = nodes.stream().map(node -> new BrowseDescription(node, BrowseDirection.Forward, referenceType, true,
                uint(NodeClass.Object.getValue() | NodeClass.Variable.getValue()), uint(BrowseResultMask.All.getValue()))).toList();
        BrowseResult[] results = client.browse(new ViewDescription(NodeId.NULL_VALUE, null, UInteger.MIN), uint(referencesPerNode), descriptions).getResults();
        List<List<ReferenceDescription>> all = new ArrayList<>(nodes.size());
        Map<ByteString, Integer> continuing = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            List<ReferenceDescription> references = new ArrayList<>();
            all.add(references);
            BrowseResult result = results[i];
            if (!result.getStatusCode().isGood()) {
                String root = roots.get(nodes.get(i));
                if (root != null) {
                    refused.put(root, TagSubscription.statusName(result.getStatusCode()));
                }
                continue;
            }
            add(references, result);
            if (result.getContinuationPoint() != null && result.getContinuationPoint().isNotNull()) {
                continuing.put(result.getContinuationPoint(), i);
            }
        }
        while (!continuing.isEmpty()) {
            List<ByteString> points = new ArrayList<>(continuing.keySet());
            BrowseResult[] next = client.browseNext(false, points).getResults();
            Map<ByteString, Integer> still = new LinkedHashMap<>();
            for (int j = 0; j < points.size(); j++) {
                int node = continuing.get(points.get(j));
                if (!next[j].getStatusCode().isGood()) {
                    throw new UaException(next[j].getStatusCode(), "browsing " + nodes.get(node).getIdentifier() + " stopped: "
                            + TagSubscription.statusName(next[j].getStatusCode()));
                }
                add(all.get(node), next[j]);
                if (next[j].getContinuationPoint() != null && next[j].getContinuationPoint().isNotNull()) {
                    still.put(next[j].getContinuationPoint(), node);
                }
            }
            continuing = still;
        }
        return all;
    }

    private static void add(List<ReferenceDescription> to, BrowseResult result) {
        if (result.getReferences() != null) {
            to.addAll(List.of(result.getReferences()));
        }
    }
}
